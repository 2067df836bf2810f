package dev.zgres.bench.scenario;

import dev.zgres.bench.measure.AckHistogram;
import dev.zgres.bench.measure.LatencyMatcher;
import dev.zgres.bench.measure.LatencySummary;
import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.measure.ProcessTree;
import dev.zgres.bench.measure.RssSampler;
import dev.zgres.bench.measure.SchedStat;
import dev.zgres.bench.receive.EventReceiver;
import dev.zgres.bench.receive.ListenReceiver;
import dev.zgres.bench.receive.PayloadClock;
import dev.zgres.bench.result.BridgeCost;
import dev.zgres.bench.result.DeliveryStats;
import dev.zgres.bench.result.HostCpu;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.CommitLog;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import dev.zgres.bench.workload.PgbenchWriters;
import dev.zgres.bench.workload.WriterPool;
import dev.zgres.bench.workload.WriterStats;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Runs one phase: empty the tables, write for the phase's duration, wait for the receiver to catch
 * up, and take the figures: writer rate and commit cost, commit-to-receipt latency and rate, and
 * the bridge's CPU time and RSS.
 */
final class PhaseRunner {
  private static final long RSS_SAMPLE_MILLIS = 200;
  private static final long SETTLE_MILLIS = 200;

  private final Connection admin;
  private final WriterPool writers;
  private final BenchPlan plan;
  private final long ticksPerSecond;

  private final ProcessTree postgres;
  private final ProcessProbe self;

  PhaseRunner(
      Connection admin,
      WriterPool writers,
      BenchPlan plan,
      long ticksPerSecond,
      ProcessTree postgres) {
    this.admin = admin;
    this.writers = writers;
    this.plan = plan;
    this.ticksPerSecond = ticksPerSecond;
    this.postgres = postgres;
    this.self = new ProcessProbe(ProcessHandle.current().pid(), ticksPerSecond);
  }

  /** The same phases, written on connections with these extra properties. */
  PhaseRunner withWriterConnection(Map<String, String> properties) {
    return new PhaseRunner(
        admin, writers.withConnectionProperties(properties), plan, ticksPerSecond, postgres);
  }

  /** The same phases, with writers inserting {@code rows} rows per transaction. */
  PhaseRunner withRowsPerCommit(int rows) {
    return new PhaseRunner(admin, writers.withRowsPerCommit(rows), plan, ticksPerSecond, postgres);
  }

  long ticksPerSecond() {
    return ticksPerSecond;
  }

  /**
   * Load that is measured by nobody: warms the JIT of this JVM, the bridge's, and PostgreSQL's
   * caches.
   */
  void warmUp(EventTable table, Load load) throws SQLException, InterruptedException {
    if (plan.warmup().isZero()) {
      return;
    }
    writers.run(table, load, plan.warmup(), CommitLog.NONE);
  }

  /**
   * @param receiver where the events are received, or null (B0)
   * @param bridge the bridge process's probe, or null where no bridge runs
   * @param acks the bridge's latency histogram, or null where no bridge runs
   */
  PhaseResult run(
      String scenario,
      EventTable table,
      Load load,
      EventReceiver receiver,
      ProcessProbe bridge,
      AckHistogram acks,
      String purpose)
      throws SQLException, InterruptedException {
    BenchSchema.reset(admin);
    LatencyMatcher matcher = new LatencyMatcher();
    if (receiver != null) {
      receiver.attach(matcher);
    }
    NavigableMap<Double, Double> acksBefore = acks == null ? null : acks.snapshot();
    double cpuBefore = bridge == null ? 0 : bridge.cpuSeconds();
    double pgBefore = postgres == null ? Double.NaN : postgres.cpuSeconds();
    double selfBefore = self.cpuSeconds();
    double gcBefore = ReceivingPath.gcPauseSeconds();
    SchedStat[] sched = ReceivingPath.of(admin, receiver, bridge);
    SchedStat.Sample[] schedBefore = {sched[0].sample(), sched[1].sample()};
    long wallBefore = System.nanoTime();
    RssSampler rss = bridge == null ? null : new RssSampler(bridge, RSS_SAMPLE_MILLIS);
    try {
      WriterStats written =
          writers.run(table, load, plan.phase(), receiver == null ? CommitLog.NONE : matcher);
      DeliveryStats delivery = null;
      if (receiver != null) {
        drain(matcher);
        receiver.attach(null);
        delivery =
            delivery(
                matcher,
                written,
                acks == null ? null : AckHistogram.between(acksBefore, acks.snapshot()));
      }
      // The writers' backends exit as their connections close; give the postmaster a moment to reap
      // them, so that their CPU time has moved into its cutime/cstime when we read it.
      Thread.sleep(SETTLE_MILLIS);
      BridgeCost cost = null;
      double bridgeCpu = bridge == null ? 0 : bridge.cpuSeconds() - cpuBefore;
      HostCpu host =
          new HostCpu(
              (System.nanoTime() - wallBefore) / 1e9,
              postgres == null ? Double.NaN : postgres.cpuSeconds() - pgBefore,
              self.cpuSeconds() - selfBefore,
              bridgeCpu,
              ReceivingPath.gcPauseSeconds() - gcBefore,
              receiver == null ? null : ReceivingPath.since(sched, schedBefore));
      if (bridge != null) {
        double cpu = bridgeCpu;
        long events = delivery == null ? written.events() : delivery.received();
        cost = new BridgeCost(cpu, events == 0 ? Double.NaN : cpu / events * 1e6, rss.peakBytes());
      }
      return new PhaseResult(
          scenario,
          load.writers(),
          load.mode(),
          load.eventsPerSecond(),
          written,
          delivery,
          cost,
          host,
          purpose);
    } finally {
      if (rss != null) {
        rss.close();
      }
      if (receiver != null) {
        receiver.attach(null);
      }
    }
  }

  /**
   * A phase of this JVM's writers measured by the payload clock (insert's {@code clock_timestamp()}
   * to receipt) instead of commit to receipt: the in-JVM half of the pgbench cross-check.
   */
  PhaseResult runByPayloadClock(
      String scenario, EventTable table, Load load, ListenReceiver receiver)
      throws SQLException, InterruptedException {
    PhaseResult r = run(scenario, table, load, receiver, null, null, "");
    DeliveryStats d = r.delivery();
    return new PhaseResult(
        r.scenario(),
        r.writers(),
        r.mode(),
        r.targetRate(),
        r.writer(),
        new DeliveryStats(
            d.received(),
            d.missing(),
            0,
            d.rate(),
            LatencySummary.of(receiver.payloadClock().histogram()),
            LatencySummary.EMPTY,
            null),
        null,
        r.cpu(),
        "");
  }

  /**
   * A phase whose writers are pgbench processes, outside this JVM, measured by the payload clock.
   */
  PhaseResult runOutside(
      String scenario, EventTable table, Load load, ListenReceiver receiver, PgbenchWriters pgbench)
      throws SQLException, InterruptedException, IOException {
    BenchSchema.reset(admin);
    // pgbench's ids are never committed here, so this matcher matches nothing: only the payload
    // clock measures.
    receiver.attach(new LatencyMatcher());
    try {
      double pgBefore = postgres == null ? Double.NaN : postgres.cpuSeconds();
      double selfBefore = self.cpuSeconds();
      double gcBefore = ReceivingPath.gcPauseSeconds();
      SchedStat[] sched = ReceivingPath.of(admin, receiver, null);
      SchedStat.Sample[] schedBefore = {sched[0].sample(), sched[1].sample()};
      long wallBefore = System.nanoTime();
      WriterStats written = pgbench.run(table, load, plan.phase());
      long writersEnded = PayloadClock.nowMicros();
      PayloadClock clock = receiver.payloadClock();
      long seen = -1;
      long lastProgress = System.nanoTime();
      while (clock.count() < written.events()
          && System.nanoTime() - lastProgress < plan.drainTimeout().toNanos()) {
        if (clock.count() != seen) {
          seen = clock.count();
          lastProgress = System.nanoTime();
        }
        Thread.sleep(10);
      }
      receiver.attach(null);
      long received = clock.count();
      // pgbench's own span (its tps), plus however long the last events took to arrive after it.
      double seconds =
          written.seconds() + Math.max(0, clock.lastReceiptMicros() - writersEnded) / 1e6;
      DeliveryStats delivery =
          new DeliveryStats(
              received,
              Math.max(0, written.events() - received),
              0,
              seconds <= 0 ? 0 : received / seconds,
              LatencySummary.of(clock.histogram()),
              LatencySummary.EMPTY,
              null);
      Thread.sleep(SETTLE_MILLIS);
      HostCpu host =
          new HostCpu(
              (System.nanoTime() - wallBefore) / 1e9,
              postgres == null ? Double.NaN : postgres.cpuSeconds() - pgBefore,
              self.cpuSeconds() - selfBefore,
              0,
              ReceivingPath.gcPauseSeconds() - gcBefore,
              ReceivingPath.since(sched, schedBefore));
      return new PhaseResult(
          scenario,
          load.writers(),
          load.mode(),
          load.eventsPerSecond(),
          written,
          delivery,
          null,
          host,
          "");
    } finally {
      receiver.attach(null);
    }
  }

  /** Waits until every committed event was received, or nothing came in for the drain timeout. */
  private void drain(LatencyMatcher matcher) throws InterruptedException {
    long seen = -1;
    long lastProgress = System.nanoTime();
    while (matcher.matched() < matcher.committedCount()) {
      long now = System.nanoTime();
      long matched = matcher.matched();
      if (matched != seen) {
        seen = matched;
        lastProgress = now;
      } else if (now - lastProgress > plan.drainTimeout().toNanos()) {
        return;
      }
      Thread.sleep(10);
    }
  }

  private static DeliveryStats delivery(
      LatencyMatcher matcher, WriterStats written, LatencySummary bridgeAck) {
    long received = matcher.matched();
    long last = matcher.lastReceiptNanos();
    double seconds = last == Long.MIN_VALUE ? 0 : (last - written.startNanos()) / 1e9;
    double rate = seconds <= 0 ? 0 : received / seconds;
    return new DeliveryStats(
        received,
        written.events() - received,
        matcher.early(),
        rate,
        LatencySummary.of(matcher.histogram()),
        LatencySummary.of(matcher.downstreamHistogram()),
        bridgeAck);
  }
}
