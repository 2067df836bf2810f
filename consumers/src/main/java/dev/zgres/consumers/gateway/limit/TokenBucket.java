package dev.zgres.consumers.gateway.limit;

/**
 * A token bucket: holds at most {@code burst} tokens, refills {@code perSecond} tokens a second,
 * and each allowed action takes one. Time is passed in (nanoseconds from any fixed origin, e.g.
 * {@link System#nanoTime()}), so the bucket is a pure function of the calls made on it. Not
 * thread-safe: one owner, or the caller synchronises.
 */
public final class TokenBucket {
  private final double burst;
  private final double perNano;
  private double tokens;
  private long lastNanos;

  public TokenBucket(double perSecond, int burst, long nowNanos) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "a bucket needs a positive rate and a burst of at least 1 (was "
              + perSecond
              + "/s, burst "
              + burst
              + ")");
    }
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes a token if there is one; returns whether the action is allowed. */
  public boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether the bucket is full at {@code nowNanos}: its state then carries no information. */
  public boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      lastNanos = nowNanos;
    }
  }
}
