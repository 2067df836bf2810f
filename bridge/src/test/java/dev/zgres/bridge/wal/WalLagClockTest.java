package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WalLagClockTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void isZeroWhenTheSlotConfirmedEverything() {
    WalLagClock clock = new WalLagClock();
    assertThat(clock.sample(100, 100, 0)).isZero();
    assertThat(clock.sample(200, 200, 5 * SECOND)).isZero();
  }

  @Test
  void growsFromTheFirstSampleTheSlotHasNotConfirmed() {
    WalLagClock clock = new WalLagClock();
    assertThat(clock.sample(100, 100, 0)).isZero();
    assertThat(clock.sample(200, 100, 1 * SECOND)).isZero();
    assertThat(clock.sample(300, 100, 3 * SECOND)).isCloseTo(2.0, within(1e-9));
    assertThat(clock.sample(300, 100, 10 * SECOND)).isCloseTo(9.0, within(1e-9));
  }

  @Test
  void dropsSamplesOnceTheSlotPassesThem() {
    WalLagClock clock = new WalLagClock();
    clock.sample(200, 100, 1 * SECOND);
    clock.sample(300, 100, 2 * SECOND);
    clock.sample(400, 100, 3 * SECOND);
    assertThat(clock.sample(400, 250, 4 * SECOND))
        .as("oldest unconfirmed is the 300 sample")
        .isCloseTo(2.0, within(1e-9));
    assertThat(clock.sample(400, 400, 5 * SECOND)).isZero();
  }
}
