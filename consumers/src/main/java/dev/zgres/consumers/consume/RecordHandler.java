package dev.zgres.consumers.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a consumer process does with one record; the {@link ConsumerLoop} does the rest (polling,
 * duplicates, retries, dead letters, offsets). Called on the loop's thread, one record at a time,
 * in partition order.
 *
 * <p>A handler either returns an {@link Outcome} or throws. A thrown exception is classified by
 * {@link FailureClassifier}: a lost PostgreSQL connection or a retriable Kafka error is retried,
 * and anything else dead-letters the record. Handlers must be idempotent per record: after a crash
 * the records since the last commit are handled again (at-least-once).
 */
@FunctionalInterface
public interface RecordHandler {
  Outcome handle(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
