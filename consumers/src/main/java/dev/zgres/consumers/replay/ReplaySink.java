package dev.zgres.consumers.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a replay writes each record it reads, in the order read. */
public interface ReplaySink extends AutoCloseable {
  /** Writes (or starts writing) {@code record}. */
  void accept(ConsumerRecord<byte[], byte[]> record);

  /** False once the sink can take no more (standard output closed, as by {@code | head}). */
  default boolean open() {
    return true;
  }

  /** Waits until every record accepted is written or has failed; returns the tally. */
  Tally finish();

  /** How many records were written, and how many failed (each reported on standard error). */
  record Tally(long written, long failed) {}

  @Override
  default void close() {}
}
