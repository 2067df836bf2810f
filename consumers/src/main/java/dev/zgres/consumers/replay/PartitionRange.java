package dev.zgres.consumers.replay;

/**
 * The records of one partition a replay reads: offsets {@code from} (inclusive) to {@code to}
 * (exclusive). Empty when {@code from == to}.
 */
public record PartitionRange(int partition, long from, long to) {
  public PartitionRange {
    if (from > to) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  public boolean isEmpty() {
    return from == to;
  }

  public long size() {
    return to - from;
  }
}
