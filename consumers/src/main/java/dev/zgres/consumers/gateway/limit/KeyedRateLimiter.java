package dev.zgres.consumers.gateway.limit;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per key (a username, a client address), created on first use. Memory
 * stays bounded under a flood of distinct keys: full buckets are dropped (a full bucket is the same
 * as none), and when {@code maxKeys} are tracked and none is full, new keys are refused until some
 * refill. Thread-safe.
 */
public final class KeyedRateLimiter {
  private final double perSecond;
  private final int burst;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  public KeyedRateLimiter(double perSecond, int burst, int maxKeys, LongSupplier nanoClock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1 (was " + maxKeys + ")");
    }
    new TokenBucket(perSecond, burst, 0); // validates the rate and burst
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
  }

  /** Takes a token from the key's bucket; returns whether the action is allowed. */
  public synchronized boolean tryAcquire(String key) {
    long now = nanoClock.getAsLong();
    TokenBucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        dropFull(now);
        if (buckets.size() >= maxKeys) {
          return false;
        }
      }
      bucket = new TokenBucket(perSecond, burst, now);
      buckets.put(key, bucket);
    }
    return bucket.tryTake(now);
  }

  /** How many keys are tracked now (for tests and a gauge). */
  public synchronized int trackedKeys() {
    dropFull(nanoClock.getAsLong());
    return buckets.size();
  }

  private void dropFull(long now) {
    for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(now)) {
        it.remove();
      }
    }
  }
}
