package dev.zgres.bridge.wal;

import java.util.ArrayDeque;

/**
 * Turns byte positions into a lag in seconds. Every probe it is given PostgreSQL's WAL insert
 * position and the slot's confirmed position; it keeps the samples the slot has not confirmed yet.
 * The lag is the age of the oldest such sample: how long ago the WAL stood beyond where the slot
 * stands now. It is 0 when the slot is caught up, and it under-states by at most one probe interval
 * (the unconfirmed WAL may be older than the first sample that saw it).
 */
final class WalLagClock {
  /**
   * At one probe a second, a day of samples; past that the lag keeps growing from the oldest kept.
   */
  static final int MAX_SAMPLES = 86_400;

  private record Sample(long walLsn, long atNanos) {}

  private final ArrayDeque<Sample> unconfirmed = new ArrayDeque<>();

  /** Records one probe and returns the lag in seconds at {@code nowNanos}. */
  synchronized double sample(long walLsn, long confirmedLsn, long nowNanos) {
    while (!unconfirmed.isEmpty()
        && Long.compareUnsigned(unconfirmed.peekFirst().walLsn(), confirmedLsn) <= 0) {
      unconfirmed.pollFirst();
    }
    boolean behind = Long.compareUnsigned(walLsn, confirmedLsn) > 0;
    if (behind
        && unconfirmed.size() < MAX_SAMPLES
        && (unconfirmed.isEmpty()
            || Long.compareUnsigned(unconfirmed.peekLast().walLsn(), walLsn) < 0)) {
      unconfirmed.addLast(new Sample(walLsn, nowNanos));
    }
    if (!behind || unconfirmed.isEmpty()) {
      return 0;
    }
    return (nowNanos - unconfirmed.peekFirst().atNanos()) / 1e9;
  }
}
