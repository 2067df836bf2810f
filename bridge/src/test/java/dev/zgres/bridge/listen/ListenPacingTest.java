package dev.zgres.bridge.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenPacingTest {
  private static final long MS = 1_000_000L;
  private static final long PAUSE = 2 * MS;

  @Test
  void aTrickleIsNeverHeldBack() {
    ListenPacing pacing = new ListenPacing(2_000, PAUSE, 0);
    long now = 0;
    for (int i = 0; i < 1_000; i++) { // 1,000 events/s, one per read
      now += MS;
      assertThat(pacing.pauseAfter(1, now)).isZero();
    }
    assertThat(pacing.rate()).isBetween(990.0, 1_010.0);
  }

  @Test
  void underLoadReadsArePacedOnceTheWindowHasSeenTheRate() {
    ListenPacing pacing = new ListenPacing(2_000, PAUSE, 0);
    long now = 0;
    long firstPaced = -1;
    for (int i = 0; i < 400; i++) { // 5,000 events/s, one per read every 0.2 ms
      now += MS / 5;
      if (pacing.pauseAfter(1, now) == PAUSE && firstPaced < 0) {
        firstPaced = now;
      }
    }
    assertThat(firstPaced).as("paced from the end of the first window").isEqualTo(50 * MS);
    assertThat(pacing.rate()).isBetween(4_900.0, 5_100.0);
  }

  @Test
  void anEmptyReadIsNotPausedAndTheLoadEndsWithTheNextWindow() {
    ListenPacing pacing = new ListenPacing(2_000, PAUSE, 0);
    assertThat(pacing.pauseAfter(500, 50 * MS)).isEqualTo(PAUSE); // 10,000/s over the window
    assertThat(pacing.pauseAfter(0, 60 * MS)).isZero();
    assertThat(pacing.pauseAfter(1, 100 * MS)).isZero(); // the next window saw 1 event in 50 ms
    assertThat(pacing.rate()).isLessThan(100);
  }

  @Test
  void refusesARateOrPauseThatMakesNoSense() {
    assertThatThrownBy(() -> new ListenPacing(0, PAUSE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load rate");
    assertThatThrownBy(() -> new ListenPacing(2_000, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
