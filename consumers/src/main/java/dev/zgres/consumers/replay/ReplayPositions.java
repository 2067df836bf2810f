package dev.zgres.consumers.replay;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a replay window ({@code since}, {@code until}) into offsets per partition, from what Kafka
 * reports: each partition's first offset still held, its end offset when the replay started (the
 * snapshot a replay stops at, so that it ends while writers keep writing), and the first offset at
 * or after a time ({@code offsetsForTimes}). Pure, so that the gateway's resume and the replay
 * command share it.
 *
 * <p>{@code since} is inclusive and {@code until} exclusive: a time bound picks the first record
 * whose timestamp is at or after it, so a window of times {@code [a, b)} reads the records from the
 * first at or after {@code a} up to (not including) the first at or after {@code b}. Every offset
 * is kept within {@code [beginning, end)}; a window that ends before it starts is empty.
 */
public final class ReplayPositions {
  private ReplayPositions() {}

  /** Answers {@code offsetsForTimes}: per partition, the first offset at or after {@code time}. */
  @FunctionalInterface
  public interface TimeLookup {
    /**
     * @return per partition the offset; a partition missing (or mapped to null) has no record at or
     *     after {@code time}
     */
    Map<Integer, Long> firstOffsetsAtOrAfter(Instant time);
  }

  /**
   * @param beginnings per partition to read, the first offset Kafka still holds
   * @param ends per partition to read (the same keys), the end offset snapshot
   */
  public static Map<Integer, PartitionRange> resolve(
      ReplayBound since,
      ReplayBound until,
      Map<Integer, Long> beginnings,
      Map<Integer, Long> ends,
      TimeLookup lookup) {
    Map<Integer, Long> sinceTimes = times(since, lookup);
    Map<Integer, Long> untilTimes = times(until, lookup);
    Map<Integer, PartitionRange> ranges = new TreeMap<>();
    for (Map.Entry<Integer, Long> e : ends.entrySet()) {
      int partition = e.getKey();
      long end = e.getValue();
      long beginning = Math.min(beginnings.getOrDefault(partition, 0L), end);
      long from = clamp(offset(since, partition, sinceTimes, beginning, end), beginning, end);
      long to = clamp(offset(until, partition, untilTimes, end, end), beginning, end);
      ranges.put(partition, new PartitionRange(partition, from, Math.max(from, to)));
    }
    return ranges;
  }

  private static Map<Integer, Long> times(ReplayBound bound, TimeLookup lookup) {
    return bound instanceof ReplayBound.AtTime t
        ? lookup.firstOffsetsAtOrAfter(t.time())
        : Map.of();
  }

  private static long offset(
      ReplayBound bound, int partition, Map<Integer, Long> times, long open, long end) {
    return switch (bound) {
      case ReplayBound.Open o -> open;
      case ReplayBound.AtOffset o -> o.offset();
      case ReplayBound.AtTime t -> {
        Long found = times.get(partition);
        yield found == null ? end : found;
      }
    };
  }

  private static long clamp(long value, long low, long high) {
    return Math.max(low, Math.min(high, value));
  }
}
