package dev.zgres.consumers.backfill;

/**
 * Holds a backfill to {@code rate} rows per second on average, so writers are not starved: after
 * each batch it says how long to wait for the rows emitted so far to fit the rate. A rate of 0
 * means no limit.
 */
public record Pacer(int rate) {
  public Pacer {
    if (rate < 0) {
      throw new IllegalArgumentException("rate must be at least 0 (was " + rate + ")");
    }
  }

  /** Milliseconds to wait, {@code elapsedNanos} after the start, with {@code emitted} rows out. */
  public long pauseMillis(long emitted, long elapsedNanos) {
    if (rate == 0) {
      return 0;
    }
    long dueNanos = emitted * 1_000_000_000L / rate;
    return Math.max(0, (dueNanos - elapsedNanos) / 1_000_000);
  }
}
