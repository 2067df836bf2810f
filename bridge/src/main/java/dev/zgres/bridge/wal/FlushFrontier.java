package dev.zgres.bridge.wal;

import java.util.ArrayDeque;

/**
 * The highest WAL position a slot may confirm: everything read below it has been acknowledged by
 * Kafka. The reader, on its one thread, {@link #track tracks} each event in the order it reads them
 * and marks the positions it has {@link #passed}; acknowledgements come in any order from Kafka's
 * callback thread. The frontier is the last mark with no unacknowledged event before it.
 *
 * <p>A mark at {@code p} promises that every transaction committed before {@code p} has been read
 * (the server sends transactions in commit order), so confirming {@code p} can skip only what is
 * already in Kafka. Critical sections are a few field updates: the callback thread never waits for
 * long.
 */
final class FlushFrontier {
  private static final class Pending {
    final long receivedNanos;
    boolean acknowledged;

    Pending(long receivedNanos) {
      this.receivedNanos = receivedNanos;
    }
  }

  private static final class Mark {
    long lsn;

    Mark(long lsn) {
      this.lsn = lsn;
    }
  }

  private final ArrayDeque<Object> entries = new ArrayDeque<>();
  private long confirmed;
  private long lastMark;
  private int unacknowledged;

  /**
   * @param start the slot's confirmed position when reading began
   */
  FlushFrontier(long start) {
    this.confirmed = start;
    this.lastMark = start;
  }

  /** Tracks one event; the returned callback acknowledges it (once; later calls do nothing). */
  synchronized Runnable track(long receivedNanos) {
    Pending pending = new Pending(receivedNanos);
    entries.addLast(pending);
    unacknowledged++;
    return () -> acknowledge(pending);
  }

  /** Marks that everything committed before {@code lsn} has been read and tracked. */
  synchronized void passed(long lsn) {
    if (Long.compareUnsigned(lsn, lastMark) <= 0) {
      return;
    }
    lastMark = lsn;
    if (entries.isEmpty()) {
      confirmed = lsn;
    } else if (entries.peekLast() instanceof Mark tail) {
      tail.lsn = lsn;
    } else {
      entries.addLast(new Mark(lsn));
    }
  }

  private synchronized void acknowledge(Pending pending) {
    if (pending.acknowledged) {
      return;
    }
    pending.acknowledged = true;
    unacknowledged--;
    while (!entries.isEmpty()) {
      Object head = entries.peekFirst();
      if (head instanceof Mark mark) {
        confirmed = mark.lsn;
      } else if (!((Pending) head).acknowledged) {
        return;
      }
      entries.pollFirst();
    }
  }

  /** The position the slot may confirm now. */
  synchronized long confirmed() {
    return confirmed;
  }

  /** Events tracked and not acknowledged yet. */
  synchronized int unacknowledged() {
    return unacknowledged;
  }

  /** {@link System#nanoTime()} at which the oldest unacknowledged event was read, or -1 if none. */
  synchronized long oldestUnacknowledgedNanos() {
    for (Object entry : entries) {
      if (entry instanceof Pending pending && !pending.acknowledged) {
        return pending.receivedNanos;
      }
    }
    return -1;
  }
}
