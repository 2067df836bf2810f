package dev.zgres.bench.report;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * zgres wal against the peer, Debezium tuned (the faster of its two settings), at the wal target's
 * writer count: the goal is zgres ahead on every figure, so each row needs a ratio of at least (or
 * at most) 1.
 */
final class PeerTargets {
  private static final String PEER = "debezium-tuned";

  private PeerTargets() {}

  static List<TargetRow> rows(BenchResult run, int writers) {
    ScenarioResult wal = run.scenario("wal").orElse(null);
    ScenarioResult peer = run.scenario(PEER).orElse(null);
    String at = ", " + writers + " writers";
    List<TargetRow> rows = new ArrayList<>();
    rows.add(
        row(
            "wal writer rate >= Debezium tuned" + at + ", closed loop",
            wal,
            peer,
            writers,
            true,
            p -> p.writer().rate(),
            "events/s",
            true));
    for (boolean closed : List.of(false, true)) {
      String load = closed ? ", closed loop" : ", open loop";
      rows.add(
          row(
              "wal commit->Kafka p50 <= Debezium tuned" + at + load,
              wal,
              peer,
              writers,
              closed,
              p -> p.delivery().latency().p50(),
              "ms",
              false));
      rows.add(
          row(
              "wal commit->Kafka p99 <= Debezium tuned" + at + load,
              wal,
              peer,
              writers,
              closed,
              p -> p.delivery().latency().p99(),
              "ms",
              false));
    }
    rows.add(
        row(
            "wal CPU s per million events <= Debezium tuned" + at + ", closed loop",
            wal,
            peer,
            writers,
            true,
            p -> p.bridge().cpuSecondsPerMillionEvents(),
            "CPU s/M",
            false));
    rows.add(
        row(
            "wal peak RSS <= Debezium tuned" + at + ", closed loop",
            wal,
            peer,
            writers,
            true,
            p -> p.bridge().peakRssMegabytes(),
            "MB",
            false));
    return rows;
  }

  private static TargetRow row(
      String target,
      ScenarioResult wal,
      ScenarioResult peer,
      int writers,
      boolean closed,
      ToDoubleFunction<PhaseResult> value,
      String unit,
      boolean higherIsBetter) {
    Optional<PhaseResult> w = phase(wal, writers, closed);
    Optional<PhaseResult> d = phase(peer, writers, closed);
    if (w.isEmpty() || d.isEmpty()) {
      ScenarioResult missing = w.isEmpty() ? wal : peer;
      String why =
          missing == null
              ? "not run"
              : missing.ran() ? "no such phase in this run" : missing.unavailable();
      return TargetRow.notAvailable(target, higherIsBetter ? ">= 1.0" : "<= 1.0", why);
    }
    double m = value.applyAsDouble(w.get());
    double r = value.applyAsDouble(d.get());
    String note = "zgres wal against Debezium with poll.interval.ms=1, same writers, same Kafka";
    return higherIsBetter
        ? TargetRow.atLeast(target, m, r, unit, 1.0, note)
        : TargetRow.atMost(target, m, r, unit, 1.0, note);
  }

  private static Optional<PhaseResult> phase(ScenarioResult s, int writers, boolean closed) {
    if (s == null || !s.ran()) {
      return Optional.empty();
    }
    return s.phases().stream()
        .filter(p -> p.writers() == writers && p.closedLoop() == closed && p.purpose().isEmpty())
        .findFirst();
  }
}
