package dev.zgres.bench.measure;

import dev.zgres.bench.workload.CommitLog;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Pairs each event's commit (told by its writer) with its receipt (told by a receiver) and records
 * the difference. Either may come first: a notification can reach the listener before the writer's
 * {@code executeUpdate} has returned. Such an event counts as {@link #early()} with latency 0;
 * commit time here is the moment the writer learnt of the commit, which is what an application
 * sees. Both times are {@link System#nanoTime()} of this JVM, so there is no clock skew.
 */
public final class LatencyMatcher implements CommitLog {
  private record Stamp(boolean commit, long nanos) {}

  private final ConcurrentHashMap<Long, Stamp> pending = new ConcurrentHashMap<>();
  private final Recorder recorder = new Recorder(3_600_000_000_000L, 3);
  private final Recorder downstream = new Recorder(3_600_000_000_000L, 3);
  private final LongAdder committed = new LongAdder();
  private final LongAdder matched = new LongAdder();
  private final LongAdder early = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final AtomicLong lastReceipt = new AtomicLong(Long.MIN_VALUE);

  @Override
  public void committed(long id, long nanos) {
    committed.increment();
    pending.merge(id, new Stamp(true, nanos), this::match);
  }

  /** A receiver got event {@code id} at {@code nanos}. */
  public void received(long id, long nanos) {
    lastReceipt.accumulateAndGet(nanos, Math::max);
    pending.merge(id, new Stamp(false, nanos), this::match);
  }

  /**
   * The part of an event's latency after the bridge received it, from wall-clock milliseconds (the
   * bridge's {@code zgres-received-at} header against this process's clock): millisecond
   * resolution, so only its percentiles over many events mean much.
   */
  public void downstream(long millis) {
    downstream.recordValue(Math.max(0, millis) * 1_000_000);
  }

  private Stamp match(Stamp old, Stamp fresh) {
    if (old.commit() == fresh.commit()) {
      duplicates.increment();
      return old;
    }
    long latency = old.commit() ? fresh.nanos() - old.nanos() : old.nanos() - fresh.nanos();
    if (latency < 0) {
      early.increment();
      latency = 0;
    }
    recorder.recordValue(latency);
    matched.increment();
    return null;
  }

  public long committedCount() {
    return committed.sum();
  }

  /** Events both committed and received. */
  public long matched() {
    return matched.sum();
  }

  public long early() {
    return early.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  /** {@link System#nanoTime()} of the latest receipt, or {@link Long#MIN_VALUE} if none. */
  public long lastReceiptNanos() {
    return lastReceipt.get();
  }

  /** Everything recorded so far; call once, after the phase has drained. */
  public Histogram histogram() {
    return recorder.getIntervalHistogram();
  }

  /** The downstream part recorded so far (empty where the receiver cannot tell); call once. */
  public Histogram downstreamHistogram() {
    return downstream.getIntervalHistogram();
  }
}
