package dev.zgres.runtime.kafka;

import dev.zgres.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Builds dead-letter records, the same way for the bridge and every consumer: the original key, the
 * original headers, and the reason, intended topic and payload size added as headers. A value too
 * large for Kafka is cut to its first {@value #PREVIEW_BYTES} bytes.
 */
public final class DeadLetters {
  /** How many leading bytes of an over-sized payload a dead letter keeps. */
  public static final int PREVIEW_BYTES = 1024;

  private DeadLetters() {}

  /**
   * A dead letter for {@code originalTopic}'s record, to {@code deadLetterTopic} (normally {@code
   * <originalTopic>.dlq}).
   *
   * @param headers the original record's headers, copied (may be null)
   * @param truncate whether to keep only the first {@value #PREVIEW_BYTES} bytes of the value
   */
  public static ProducerRecord<byte[], byte[]> of(
      String deadLetterTopic,
      String originalTopic,
      byte[] key,
      byte[] value,
      Iterable<Header> headers,
      String reason,
      boolean truncate) {
    byte[] safeValue = value == null ? new byte[0] : value;
    byte[] kept =
        truncate ? Arrays.copyOf(safeValue, Math.min(PREVIEW_BYTES, safeValue.length)) : safeValue;
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, key, kept);
    Headers out = record.headers();
    if (headers != null) {
      for (Header h : headers) {
        if (!h.key().equals(EventHeaders.DLQ_REASON)
            && !h.key().equals(EventHeaders.DLQ_TOPIC)
            && !h.key().equals(EventHeaders.PAYLOAD_SIZE)
            && !h.key().equals(EventHeaders.DLQ_ATTEMPTS)) {
          out.add(h.key(), h.value());
        }
      }
    }
    out.add(EventHeaders.DLQ_REASON, utf8(reason));
    out.add(EventHeaders.DLQ_TOPIC, utf8(originalTopic));
    out.add(EventHeaders.PAYLOAD_SIZE, utf8(String.valueOf(safeValue.length)));
    return record;
  }

  /**
   * A consumer's dead letter: to {@code <originalTopic>.dlq}, the value whole, with the number of
   * handling attempts made.
   */
  public static ProducerRecord<byte[], byte[]> afterAttempts(
      String originalTopic,
      byte[] key,
      byte[] value,
      Iterable<Header> headers,
      String reason,
      int attempts) {
    ProducerRecord<byte[], byte[]> record =
        of(
            originalTopic + EventHeaders.DLQ_SUFFIX,
            originalTopic,
            key,
            value,
            headers,
            reason,
            false);
    record.headers().add(EventHeaders.DLQ_ATTEMPTS, utf8(String.valueOf(attempts)));
    return record;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
