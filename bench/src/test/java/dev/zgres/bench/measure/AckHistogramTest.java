package dev.zgres.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

class AckHistogramTest {
  private static String scrape(long at1ms, long at10ms, long at100ms, long total) {
    return """
        # HELP zgres_publish_latency_seconds Receipt at the bridge to Kafka acknowledgement
        # TYPE zgres_publish_latency_seconds histogram
        zgres_publish_latency_seconds_bucket{le="0.001"} %d
        zgres_publish_latency_seconds_bucket{le="0.01"} %d
        zgres_publish_latency_seconds_bucket{le="0.1"} %d
        zgres_publish_latency_seconds_bucket{le="+Inf"} %d
        zgres_publish_latency_seconds_count %d
        zgres_records_published_total{topic="db_notifications"} %d
        """
        .formatted(at1ms, at10ms, at100ms, total, total, total);
  }

  @Test
  void takesPercentilesOfWhatWasRecordedBetweenTwoScrapes() {
    NavigableMap<Double, Double> before = AckHistogram.parse(scrape(10, 10, 10, 10));
    NavigableMap<Double, Double> after = AckHistogram.parse(scrape(10, 108, 110, 110));

    LatencySummary phase = AckHistogram.between(before, after);

    assertThat(phase.count()).isEqualTo(100);
    assertThat(phase.p50()).isEqualTo(10.0);
    assertThat(phase.p99()).isEqualTo(100.0);
    assertThat(phase.max()).isNaN();
  }

  @Test
  void isEmptyWhenTheBridgeRecordedNothingOrCouldNotBeRead() {
    NavigableMap<Double, Double> same = AckHistogram.parse(scrape(1, 2, 3, 4));
    assertThat(AckHistogram.between(same, same).count()).isZero();
    assertThat(AckHistogram.between(same, AckHistogram.parse("")).count()).isZero();
  }
}
