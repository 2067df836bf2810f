package dev.zgres.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyMatcherTest {
  @Test
  void pairsCommitAndReceiptWhicheverComesFirst() {
    LatencyMatcher matcher = new LatencyMatcher();
    matcher.committed(1, 1_000_000);
    matcher.received(1, 3_000_000);
    matcher.received(2, 5_000_000);
    matcher.committed(2, 4_000_000);

    assertThat(matcher.matched()).isEqualTo(2);
    assertThat(matcher.committedCount()).isEqualTo(2);
    LatencySummary summary = LatencySummary.of(matcher.histogram());
    assertThat(summary.count()).isEqualTo(2);
    assertThat(summary.max()).isBetween(1.99, 2.01);
  }

  @Test
  void countsReceiptBeforeTheWriterSawItsCommitAsEarlyWithLatencyZero() {
    LatencyMatcher matcher = new LatencyMatcher();
    matcher.received(7, 1_000);
    matcher.committed(7, 2_000);

    assertThat(matcher.early()).isEqualTo(1);
    assertThat(LatencySummary.of(matcher.histogram()).max()).isZero();
  }

  @Test
  void leavesUnreceivedEventsUnmatched() {
    LatencyMatcher matcher = new LatencyMatcher();
    matcher.committed(1, 1);
    matcher.committed(2, 2);
    matcher.received(2, 3);

    assertThat(matcher.committedCount() - matcher.matched()).isEqualTo(1);
  }
}
