package dev.zgres.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPlotsTest {
  @Test
  void drawsOnePlotPerTargetWithABarPairPerLoad() {
    List<TargetRow> rows =
        List.of(
            TargetRow.atLeast("throughput >= 0.95 x B1, 1 writer", 900, 1000, "events/s", 0.95, ""),
            TargetRow.atLeast(
                "throughput >= 0.95 x B1, 4 writers", 990, 1000, "events/s", 0.95, ""),
            TargetRow.atMost("p99 <= 250 ms, 1 writer", 300, 250, "ms", 1.0, ""),
            TargetRow.notAvailable("fan-out", "<= 1.0", "no gateway"));
    String html = TargetPlots.html(rows);
    assertThat(html.split("<svg", -1)).hasSize(3);
    assertThat(html.split("<rect", -1)).hasSize(7);
    assertThat(html)
        .contains("1 writer", "4 writers", "#c62828", "#2e7d32")
        .doesNotContain("fan-out");
  }
}
