package dev.zgres.consumers.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void bucketAllowsItsBurstThenRefillsAtItsRate() {
    TokenBucket bucket = new TokenBucket(2, 3, 0);
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(0)).isFalse();
    assertThat(bucket.tryTake(400_000_000L)).isFalse();
    assertThat(bucket.tryTake(500_000_000L)).isTrue();
    assertThat(bucket.isFull(10_000_000_000L)).isTrue();
  }

  @Test
  void keyedLimiterKeepsKeysApartAndForgetsFullBuckets() {
    KeyedRateLimiter limiter = new KeyedRateLimiter(1, 1, 2, nanos::get);
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.tryAcquire("c")).as("no room for a third key").isFalse();
    nanos.addAndGet(2_000_000_000L);
    assertThat(limiter.trackedKeys()).isZero();
    assertThat(limiter.tryAcquire("c")).isTrue();
  }

  @Test
  void loginThrottleLimitsOneUsernameWhateverItsCase() {
    LoginThrottle throttle = new LoginThrottle(3, 100, nanos::get);
    assertThat(throttle.admit("alice", "10.0.0.1")).isTrue();
    assertThat(throttle.admit("Alice", "10.0.0.2")).isTrue();
    assertThat(throttle.admit("ALICE", "10.0.0.3")).isTrue();
    assertThat(throttle.admit("alice", "10.0.0.4")).isFalse();
    assertThat(throttle.admit("bob", "10.0.0.4")).isTrue();
  }

  @Test
  void loginThrottleLimitsOneAddressOverManyUsernames() {
    LoginThrottle throttle = new LoginThrottle(100, 5, nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.admit("user" + i, "10.0.0.9")).isTrue();
    }
    assertThat(throttle.admit("user99", "10.0.0.9")).isFalse();
    assertThat(throttle.admit("user99", "10.0.0.10")).isTrue();
    nanos.addAndGet(60_000_000_000L);
    assertThat(throttle.admit("user100", "10.0.0.9")).isTrue();
  }
}
