package dev.zgres.bridge.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.config.SourceKind;
import dev.zgres.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class RecordFactoryTest {
  private static final Event EVENT =
      new Event(
          "chat_message_7",
          "{}".getBytes(StandardCharsets.UTF_8),
          "s-42",
          SourceKind.NOTIFY,
          1L,
          1L,
          null,
          "chat_message_*",
          null);

  @Test
  void aNamedSourceSaysWhichDatabaseAndPrefixesTheEventId() {
    ProducerRecord<byte[], byte[]> record =
        new RecordFactory("chat-p1").record(EVENT, "chat.messages", "7");

    assertThat(header(record, EventHeaders.PARTITION)).isEqualTo("chat-p1");
    assertThat(header(record, EventHeaders.EVENT_ID)).isEqualTo("chat-p1:s-42");
    assertThat(header(record, EventHeaders.SOURCE)).isEqualTo("notify");
  }

  @Test
  void withoutANameRecordsAreAsBefore() {
    ProducerRecord<byte[], byte[]> record =
        new RecordFactory("").record(EVENT, "chat.messages", "7");

    assertThat(record.headers().lastHeader(EventHeaders.PARTITION)).isNull();
    assertThat(header(record, EventHeaders.EVENT_ID)).isEqualTo("s-42");
  }

  @Test
  void deadLettersCarryTheNameToo() {
    ProducerRecord<byte[], byte[]> letter =
        new RecordFactory("chat-p0")
            .deadLetter(EVENT, "chat.messages.dlq", "chat.messages", "no key", false);

    assertThat(header(letter, EventHeaders.PARTITION)).isEqualTo("chat-p0");
    assertThat(header(letter, EventHeaders.EVENT_ID)).isEqualTo("chat-p0:s-42");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
