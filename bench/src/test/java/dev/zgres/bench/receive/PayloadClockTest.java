package dev.zgres.bench.receive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadClockTest {
  @Test
  void readsTheInsertStampOfTheClockTrigger() {
    String payload =
        "{\"id\" : 1000000000000007, \"writer\" : 2, \"body\" : \"xx\", \"ts\" : 1764612345678901}";
    assertThat(PayloadClock.stamp(payload)).isEqualTo(1764612345678901L);
  }

  @Test
  void ignoresPayloadsWithoutAStamp() {
    PayloadClock clock = new PayloadClock();
    clock.received("{\"id\" : 42, \"writer\" : 0, \"body\" : \"x\"}", PayloadClock.nowMicros());
    assertThat(clock.count()).isZero();
  }

  @Test
  void recordsReceiptMinusStamp() {
    PayloadClock clock = new PayloadClock();
    clock.received("{\"id\" : 1, \"ts\" : 1000000}", 1_003_000);
    assertThat(clock.count()).isEqualTo(1);
    assertThat(clock.histogram().getValueAtPercentile(50)).isBetween(2_990_000L, 3_010_000L);
  }
}
