package dev.zgres.consumers.consume;

import java.time.Duration;

/**
 * How often a record whose handling failed transiently is tried, and how long to wait between
 * tries: {@code initialBackoff}, doubling, at most {@code maxBackoff}. After {@code maxAttempts}
 * the record is dead-lettered with its attempt count.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts must be at least 1 (was " + maxAttempts + ")");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be 0 <= initial <= max (was " + initialBackoff + ", " + maxBackoff + ")");
    }
  }

  /** Whether another attempt follows attempt number {@code attempt} (1-based). */
  public boolean retryAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /** The wait after failed attempt number {@code attempt} (1-based). */
  public Duration backoffAfter(int attempt) {
    Duration wait = initialBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
