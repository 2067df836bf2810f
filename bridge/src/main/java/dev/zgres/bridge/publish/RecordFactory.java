package dev.zgres.bridge.publish;

import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds Kafka records from events: value verbatim, key as routed, metadata in headers. */
final class RecordFactory {
  private RecordFactory() {}

  static ProducerRecord<byte[], byte[]> record(Event event, String topic, String key) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), event.payload());
    addMetadata(record.headers(), event);
    return record;
  }

  /**
   * A dead letter (see {@link DeadLetters}): the whole payload when it fits, else its first bytes.
   * The key is the channel, so a channel's dead letters keep order.
   */
  static ProducerRecord<byte[], byte[]> deadLetter(
      Event event, String deadLetterTopic, String originalTopic, String reason, boolean truncate) {
    Headers metadata = new RecordHeaders();
    addMetadata(metadata, event);
    return DeadLetters.of(
        deadLetterTopic,
        originalTopic,
        utf8(event.channel()),
        event.payload(),
        metadata,
        reason,
        truncate);
  }

  private static void addMetadata(Headers headers, Event event) {
    headers.add(EventHeaders.CHANNEL, utf8(event.channel()));
    headers.add(EventHeaders.EVENT_ID, utf8(event.eventId()));
    headers.add(EventHeaders.SOURCE, utf8(event.source().label()));
    headers.add(EventHeaders.RECEIVED_AT, utf8(String.valueOf(event.receivedAtMillis())));
    if (event.lsn() != null) {
      headers.add(EventHeaders.LSN, utf8(event.lsn()));
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
