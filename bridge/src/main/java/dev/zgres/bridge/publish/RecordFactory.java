package dev.zgres.bridge.publish;

import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds Kafka records from events: value verbatim, key as routed, metadata in headers. With a
 * source name (empty for none), records say which database they came from, and their event ids
 * start with that name, so ids stay unique when several databases feed the same topics.
 */
final class RecordFactory {
  private final String sourceName;

  RecordFactory(String sourceName) {
    this.sourceName = sourceName;
  }

  ProducerRecord<byte[], byte[]> record(Event event, String topic, String key) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), event.payload());
    addMetadata(record.headers(), event);
    return record;
  }

  /**
   * A dead letter (see {@link DeadLetters}): the whole payload when it fits, else its first bytes.
   * The key is the channel, so a channel's dead letters keep order.
   */
  ProducerRecord<byte[], byte[]> deadLetter(
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

  private void addMetadata(Headers headers, Event event) {
    headers.add(EventHeaders.CHANNEL, utf8(event.channel()));
    if (sourceName.isEmpty()) {
      headers.add(EventHeaders.EVENT_ID, utf8(event.eventId()));
    } else {
      headers.add(EventHeaders.EVENT_ID, utf8(sourceName + ":" + event.eventId()));
      headers.add(EventHeaders.PARTITION, utf8(sourceName));
    }
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
