package dev.zgres.runtime.lifecycle;

import java.time.Duration;

/**
 * Exponential backoff between attempts: starts at {@code initial}, doubles after each failure up to
 * {@code max}, and starts over after a success. Not thread-safe: one per retrying loop.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max (was " + initial + ", " + max + ")");
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
  public Duration failed() {
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }

  /** Starts over from the initial wait. */
  public void succeeded() {
    next = initial;
  }

  /** Sleeps for {@link #failed()}; returns false when interrupted (the flag is restored). */
  public boolean sleepAfterFailure() {
    try {
      Thread.sleep(failed().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
