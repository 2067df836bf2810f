package dev.zgres.consumers.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where records that cannot be handled go: the source topic's dead-letter topic. */
@FunctionalInterface
public interface DeadLetterSink {
  /**
   * Writes {@code record} to its dead-letter topic with {@code reason} and the number of attempts
   * made; returns once Kafka acknowledged it.
   *
   * @throws Exception when the dead letter could not be written (the record is then not committed)
   */
  void send(ConsumerRecord<byte[], byte[]> record, String reason, int attempts) throws Exception;
}
