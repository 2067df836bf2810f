package dev.zgres.bench.receive;

import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency by the clock in the payload: a trigger stamps {@code clock_timestamp()} (microseconds
 * since the epoch, key {@value #KEY}) while the row is inserted, the receiver subtracts it from its
 * own wall clock. Both clocks are this machine's {@code CLOCK_REALTIME}, so there is no skew; the
 * figure includes the commit (the WAL flush) that commit-to-receipt leaves out, and needs no
 * hand-shake with the writer, which is what lets writers run outside the benchmark's JVM.
 */
public final class PayloadClock {
  /** The payload key of the stamp. */
  public static final String KEY = "\"ts\"";

  private volatile Recorder recorder = new Recorder(3_600_000_000_000L, 3);
  private volatile long count;
  private volatile long lastReceiptMicros = Long.MIN_VALUE;
  private volatile long firstReceiptMicros = Long.MIN_VALUE;

  /** This machine's wall clock in microseconds since the epoch. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Records one payload received at {@code wallMicros}; payloads without a stamp are ignored. */
  void received(String payload, long wallMicros) {
    long stamp = stamp(payload);
    if (stamp < 0) {
      return;
    }
    recorder.recordValue(Math.max(0, wallMicros - stamp) * 1_000);
    if (firstReceiptMicros == Long.MIN_VALUE) {
      firstReceiptMicros = wallMicros;
    }
    lastReceiptMicros = wallMicros;
    count++;
  }

  /** Starts afresh (only the receiver thread records, so a plain swap is enough). */
  void reset() {
    recorder = new Recorder(3_600_000_000_000L, 3);
    count = 0;
    firstReceiptMicros = Long.MIN_VALUE;
    lastReceiptMicros = Long.MIN_VALUE;
  }

  /** Stamped events received since the last reset. */
  public long count() {
    return count;
  }

  /** Wall clock (µs) of the latest stamped receipt, or {@link Long#MIN_VALUE}. */
  public long lastReceiptMicros() {
    return lastReceiptMicros;
  }

  /** Nanoseconds from stamp to receipt since the last reset; call once per phase. */
  public Histogram histogram() {
    return recorder.getIntervalHistogram();
  }

  /** The stamp in {@code payload}, or -1. */
  static long stamp(String payload) {
    int at = payload.indexOf(KEY);
    if (at < 0) {
      return -1;
    }
    int i = at + KEY.length();
    while (i < payload.length() && (payload.charAt(i) == ' ' || payload.charAt(i) == ':')) {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < payload.length() && Character.isDigit(payload.charAt(i))) {
      value = value * 10 + (payload.charAt(i) - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : value;
  }
}
