package dev.zgres.consumers.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void backoffDoublesUpToItsMaximum() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500));
    assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoffAfter(60)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void attemptsStopAtTheBound() {
    RetryPolicy policy = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
    assertThat(policy.retryAfter(2)).isTrue();
    assertThat(policy.retryAfter(3)).isFalse();
  }

  @Test
  void refusesNonsenseNamingTheBadValue() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .hasMessage("maxAttempts must be at least 1 (was 0)");
  }
}
