package dev.zgres.consumers.gateway.resume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest records of one channel, kept so that a client reconnecting after a short break resumes
 * from memory. The window knows every record of its channel with an offset above {@link
 * #coveredAfter()}: it starts covering from the partition position at which it was created, and
 * when it evicts its oldest entry, it covers from that entry's offset on. Not thread-safe: the
 * channel's feed guards it.
 */
public final class ChannelWindow {
  private final int capacity;
  private final ArrayDeque<WindowEntry> entries;
  private long coveredAfter;

  /**
   * @param capacity entries kept, at least 1
   * @param coveredAfter the partition position when the window starts: every later record of the
   *     channel will be appended
   */
  public ChannelWindow(int capacity, long coveredAfter) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 (was " + capacity + ")");
    }
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.min(capacity, 64));
    this.coveredAfter = coveredAfter;
  }

  /** Appends the channel's next record; offsets must increase. */
  public void append(WindowEntry entry) {
    WindowEntry last = entries.peekLast();
    if (last != null && entry.offset() <= last.offset() || entry.offset() <= coveredAfter) {
      throw new IllegalArgumentException(
          "offsets must increase: " + entry.offset() + " after " + lastOffsetOrCovered());
    }
    if (entries.size() == capacity) {
      coveredAfter = entries.removeFirst().offset();
    }
    entries.addLast(entry);
  }

  /** Every record of the channel with an offset above this one is in the window. */
  public long coveredAfter() {
    return coveredAfter;
  }

  /**
   * How to serve a client whose last record was at {@code since}. {@code maxReplay} bounds a replay
   * from Kafka by offsets of the partition (records of other channels included): further behind
   * than that, the client refetches over HTTP.
   */
  public ResumeDecision decide(
      Position since, String currentEpoch, long partitionPosition, long maxReplay) {
    if (!since.epoch().equals(currentEpoch)) {
      return new ResumeDecision.Refetch(ResumeDecision.EPOCH_CHANGED);
    }
    if (since.offset() >= coveredAfter) {
      List<WindowEntry> missed = new ArrayList<>();
      for (WindowEntry e : entries) {
        if (e.offset() > since.offset()) {
          missed.add(e);
        }
      }
      return new ResumeDecision.Recovered(missed);
    }
    if (partitionPosition - since.offset() > maxReplay) {
      return new ResumeDecision.Refetch(ResumeDecision.TOO_FAR_BEHIND);
    }
    return new ResumeDecision.SeekKafka(since.offset() + 1);
  }

  public int size() {
    return entries.size();
  }

  private long lastOffsetOrCovered() {
    WindowEntry last = entries.peekLast();
    return last == null ? coveredAfter : last.offset();
  }
}
