package dev.zgres.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bench.measure.LatencySummary;
import dev.zgres.bench.result.DeliveryStats;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.workload.WriterStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrongerBaselineTest {
  private static PhaseResult phase(String scenario, int writers, double rate, double p99) {
    LatencySummary latency = new LatencySummary(100, p99 / 2, p99, p99, p99);
    return new PhaseResult(
        scenario,
        writers,
        rate == 0 ? "open" : "closed",
        rate == 0 ? 1_000 : 0,
        new WriterStats(100, 1, LatencySummary.EMPTY, 0, 0),
        new DeliveryStats(100, 0, 0, rate == 0 ? 1_000 : rate, latency, LatencySummary.EMPTY, null),
        null,
        null,
        "");
  }

  @Test
  void takesTheHigherRateAndTheLowerLatencyAtEachLoad() {
    ScenarioResult plain =
        new ScenarioResult(
            "B1", "", List.of(phase("B1", 4, 0, 7.0), phase("B1", 4, 6_000, 1_500.0)));
    ScenarioResult prompt =
        new ScenarioResult(
            "B1-prompt",
            "",
            List.of(phase("B1-prompt", 4, 0, 5.0), phase("B1-prompt", 4, 5_500, 9.0)));

    ScenarioResult rate = StrongerBaseline.of(plain, prompt, p -> p.delivery().rate(), true);
    ScenarioResult p99 =
        StrongerBaseline.of(plain, prompt, p -> p.delivery().latency().p99(), false);

    assertThat(rate.phase(4, true).orElseThrow().scenario()).isEqualTo("B1");
    assertThat(p99.phase(4, true).orElseThrow().scenario()).isEqualTo("B1-prompt");
    assertThat(p99.phase(4, false).orElseThrow().delivery().latency().p99()).isEqualTo(5.0);
  }

  @Test
  void aBaselineThatDidNotRunLeavesTheOther() {
    ScenarioResult plain = new ScenarioResult("B1", "", List.of(phase("B1", 1, 0, 7.0)));
    ScenarioResult absent = ScenarioResult.unavailable("B1-prompt", "", "not selected");
    assertThat(StrongerBaseline.of(plain, absent, p -> p.delivery().rate(), true)).isSameAs(plain);
    assertThat(StrongerBaseline.of(absent, plain, p -> p.delivery().rate(), true)).isSameAs(plain);
  }
}
