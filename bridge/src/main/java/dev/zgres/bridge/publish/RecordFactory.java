package dev.zgres.bridge.publish;

import dev.zgres.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Builds Kafka records from events: value verbatim, key as routed, metadata in headers. */
final class RecordFactory {
  /** Header on dead letters whose value was cut: the size of the whole payload in bytes. */
  static final String PAYLOAD_SIZE = "zgres-payload-size";

  /** How many leading bytes of an over-sized payload a dead letter keeps. */
  static final int PREVIEW_BYTES = 1024;

  private RecordFactory() {}

  static ProducerRecord<byte[], byte[]> record(Event event, String topic, String key) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), event.payload());
    addMetadata(record.headers(), event);
    return record;
  }

  /**
   * A dead letter: the whole payload when it fits, else its first {@value #PREVIEW_BYTES} bytes
   * with the full size in a header. The key is the channel, so a channel's dead letters keep order.
   */
  static ProducerRecord<byte[], byte[]> deadLetter(
      Event event, String deadLetterTopic, String originalTopic, String reason, boolean truncate) {
    byte[] value =
        truncate
            ? Arrays.copyOf(event.payload(), Math.min(PREVIEW_BYTES, event.payload().length))
            : event.payload();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            deadLetterTopic, event.channel().getBytes(StandardCharsets.UTF_8), value);
    Headers headers = record.headers();
    addMetadata(headers, event);
    headers.add(EventHeaders.DLQ_REASON, utf8(reason));
    headers.add(EventHeaders.DLQ_TOPIC, utf8(originalTopic));
    headers.add(PAYLOAD_SIZE, utf8(String.valueOf(event.payload().length)));
    return record;
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
