package dev.zgres.bench.report;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.scenario.ScenarioRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Judges a run against the targets of issue #5, each as a ratio against its baseline or limit. */
public final class Targets {
  static final double THROUGHPUT_VS_B1 = 0.95;
  static final double P99_VS_B1 = 1.5;
  static final double SATURATION_P99_MS = 250;
  static final double WAL_VS_NOTIFY = 1.5;
  static final double WAL_VS_B0 = 0.8;
  static final int WAL_WRITERS = 4;
  static final double RSS_LIMIT_MB = 200;
  static final double FIRST_EVENT_MS = 1_500;
  static final double CHANNELS_VS_FEW = 0.8;
  static final String FAN_OUT_CLIENTS = "5,000 clients";

  private Targets() {}

  public static List<TargetRow> evaluate(BenchResult run) {
    List<TargetRow> rows = new ArrayList<>();
    ScenarioResult b0 = scenario(run, ScenarioRunner.B0);
    ScenarioResult b1 = scenario(run, ScenarioRunner.B1);
    ScenarioResult b1Prompt = scenario(run, ScenarioRunner.B1_PROMPT);
    // The raw loop a target is judged against is the stronger of the two, phase by phase.
    ScenarioResult rawRate = StrongerBaseline.of(b1, b1Prompt, p -> p.delivery().rate(), true);
    ScenarioResult rawP99 =
        StrongerBaseline.of(b1, b1Prompt, p -> p.delivery().latency().p99(), false);
    ScenarioResult notify = scenario(run, ScenarioRunner.NOTIFY);
    ScenarioResult wal = scenario(run, ScenarioRunner.WAL);
    List<Integer> writerCounts = run.settings().writerCounts();
    for (int w : writerCounts) {
      String target =
          "notify throughput >= " + THROUGHPUT_VS_B1 + " x B1, " + writers(w) + ", closed loop";
      rows.add(
          compare(
              target,
              notify,
              rawRate,
              w,
              true,
              ">= " + THROUGHPUT_VS_B1,
              p -> p.delivery().rate(),
              (m, r) ->
                  TargetRow.atLeast(
                      target,
                      m,
                      r,
                      "events/s",
                      THROUGHPUT_VS_B1,
                      "delivered events/s; reference: " + rawLoop(rawRate, w, true))));
    }
    for (int w : writerCounts) {
      String target =
          "notify commit->Kafka p99 <= "
              + P99_VS_B1
              + " x B1 p99, "
              + writers(w)
              + ", "
              + String.format("%,.0f", run.settings().openRate())
              + " events/s";
      rows.add(
          compare(
              target,
              notify,
              rawP99,
              w,
              false,
              "<= " + P99_VS_B1,
              p -> p.delivery().latency().p99(),
              (m, r) ->
                  TargetRow.atMost(
                      target,
                      m,
                      r,
                      "ms",
                      P99_VS_B1,
                      "notify: commit to Kafka consumer receipt; reference: "
                          + rawLoop(rawP99, w, false)
                          + ", commit to LISTEN receipt")));
    }
    for (int w : writerCounts) {
      String target =
          "notify p99 at saturation <= " + (int) SATURATION_P99_MS + " ms, " + writers(w);
      Optional<PhaseResult> phase = phase(notify, w, true);
      rows.add(
          phase.isEmpty()
              ? TargetRow.notAvailable(target, "<= 1.0", reason(notify))
              : TargetRow.atMost(
                  target,
                  phase.get().delivery().latency().p99(),
                  SATURATION_P99_MS,
                  "ms",
                  1.0,
                  String.format("closed loop at %,.0f events/s", phase.get().delivery().rate())));
    }
    String walTarget =
        "wal writer rate >= " + WAL_VS_NOTIFY + " x notify writer rate, " + writers(WAL_WRITERS);
    rows.add(
        compare(
            walTarget,
            wal,
            notify,
            WAL_WRITERS,
            true,
            ">= " + WAL_VS_NOTIFY,
            p -> p.writer().rate(),
            (m, r) ->
                TargetRow.atLeast(
                    walTarget, m, r, "events/s", WAL_VS_NOTIFY, "closed loop writer commits/s")));
    String walB0 = "wal writer rate >= " + WAL_VS_B0 + " x B0, " + writers(WAL_WRITERS);
    rows.add(
        compare(
            walB0,
            wal,
            b0,
            WAL_WRITERS,
            true,
            ">= " + WAL_VS_B0,
            p -> p.writer().rate(),
            (m, r) ->
                TargetRow.atLeast(
                    walB0, m, r, "events/s", WAL_VS_B0, "closed loop writer commits/s")));
    ScenarioResult fanOut = scenario(run, ScenarioRunner.FAN_OUT);
    rows.add(
        TargetRow.notAvailable(
            "fan-out >= 50,000 deliveries/s to " + FAN_OUT_CLIENTS, ">= 1.0", reason(fanOut)));
    rows.add(
        TargetRow.notAvailable(
            "fan-out p99 <= 50 ms with " + FAN_OUT_CLIENTS, "<= 1.0", reason(fanOut)));
    rows.add(rss(run, notify));
    rows.addAll(PeerTargets.rows(run, WAL_WRITERS));
    rows.add(channels(scenario(run, "channels")));
    rows.add(startup(scenario(run, "startup")));
    return rows;
  }

  private static TargetRow channels(ScenarioResult cell) {
    String target = "notify rate with 10,000 channels >= " + CHANNELS_VS_FEW + " x with 10";
    if (cell == null || !cell.ran() || cell.phases().size() < 2) {
      return TargetRow.notAvailable(target, ">= " + CHANNELS_VS_FEW, reason(cell));
    }
    PhaseResult few = cell.phases().get(0);
    PhaseResult many = cell.phases().get(1);
    return TargetRow.atLeast(
        target,
        many.delivery().rate(),
        few.delivery().rate(),
        "events/s",
        CHANNELS_VS_FEW,
        "delivered events/s at saturation, " + writers(many.writers()));
  }

  private static TargetRow startup(ScenarioResult startup) {
    String target = "first event <= " + (int) FIRST_EVENT_MS + " ms after the bridge's launch";
    if (startup == null || !startup.ran() || startup.phases().isEmpty()) {
      return TargetRow.notAvailable(target, "<= 1.0", reason(startup));
    }
    PhaseResult launch = startup.phases().get(0);
    StringBuilder others = new StringBuilder();
    for (PhaseResult p : startup.phases().subList(1, startup.phases().size())) {
      others.append("; ").append(p.purpose());
    }
    return TargetRow.atMost(
        target,
        launch.delivery().latency().max(),
        FIRST_EVENT_MS,
        "ms",
        1.0,
        "launch (JVM included) to the first record at a Kafka consumer, as bin/zgres launches the"
            + " bridge (its JVM options and class archive)"
            + others);
  }

  private static TargetRow rss(BenchResult run, ScenarioResult notify) {
    String target =
        String.format(
            "bridge RSS <= %.0f MB at %,.0f events/s", RSS_LIMIT_MB, run.settings().rssRate());
    if (notify == null || !notify.ran()) {
      return TargetRow.notAvailable(target, "<= 1.0", reason(notify));
    }
    Optional<PhaseResult> dedicated =
        notify.phases().stream()
            .filter(p -> p.purpose().equals(ScenarioRunner.RSS_PURPOSE))
            .findFirst();
    PhaseResult phase;
    String how;
    if (dedicated.isPresent()) {
      phase = dedicated.get();
      how =
          String.format(
              "open loop at %,.0f events/s, %s, %d rows per transaction",
              phase.targetRate(), writers(phase.writers()), ScenarioRunner.RSS_ROWS_PER_COMMIT);
    } else {
      Optional<PhaseResult> busiest =
          notify.phases().stream()
              .filter(PhaseResult::closedLoop)
              .max(Comparator.comparingDouble(p -> p.delivery().rate()));
      if (busiest.isEmpty()) {
        return TargetRow.notAvailable(target, "<= 1.0", "no closed-loop notify phase");
      }
      phase = busiest.get();
      how = "closed loop, " + writers(phase.writers()) + " (no dedicated phase in --quick)";
    }
    double rate = phase.delivery().rate();
    double rss = phase.bridge().peakRssMegabytes();
    if (rate < run.settings().rssRate() * 0.95) {
      // An RSS taken at a lower rate says little about the target's rate: show it, judge nothing.
      return new TargetRow(
          target,
          rss,
          RSS_LIMIT_MB,
          "MB",
          rss / RSS_LIMIT_MB,
          "<= 1.0",
          TargetRow.NA,
          String.format(
              "not judged: the load reached only %,.0f events/s (%s); peak VmRSS at that load",
              rate, how));
    }
    return TargetRow.atMost(
        target,
        rss,
        RSS_LIMIT_MB,
        "MB",
        1.0,
        String.format("peak VmRSS during %s; reached %,.0f events/s", how, rate));
  }

  private interface Figure {
    double of(PhaseResult p);
  }

  private interface Judge {
    TargetRow judge(double measured, double reference);
  }

  private static TargetRow compare(
      String target,
      ScenarioResult measured,
      ScenarioResult baseline,
      int writers,
      boolean closedLoop,
      String need,
      Figure figure,
      Judge judge) {
    Optional<PhaseResult> m = phase(measured, writers, closedLoop);
    Optional<PhaseResult> b = phase(baseline, writers, closedLoop);
    if (m.isEmpty()) {
      return TargetRow.notAvailable(target, need, reason(measured));
    }
    if (b.isEmpty()) {
      return TargetRow.notAvailable(target, need, "baseline " + reason(baseline));
    }
    return judge.judge(figure.of(m.get()), figure.of(b.get()));
  }

  /** Which raw loop a merged baseline took for this phase. */
  private static String rawLoop(ScenarioResult merged, int writers, boolean closedLoop) {
    return phase(merged, writers, closedLoop).map(PhaseResult::scenario).orElse("B1");
  }

  private static Optional<PhaseResult> phase(ScenarioResult s, int writers, boolean closedLoop) {
    return s == null || !s.ran() ? Optional.empty() : s.phase(writers, closedLoop);
  }

  private static String reason(ScenarioResult s) {
    if (s == null) {
      return "not run";
    }
    return s.ran() ? "no such phase in this run" : s.unavailable();
  }

  private static ScenarioResult scenario(BenchResult run, String id) {
    return run.scenario(id).orElse(null);
  }

  private static String writers(int n) {
    return n + (n == 1 ? " writer" : " writers");
  }
}
