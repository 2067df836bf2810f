package dev.zgres.consumers.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
    return new ConsumerRecord<>("chat.messages", 2, 41, key, value);
  }

  private static JsonNode line(ConsumerRecord<byte[], byte[]> r) throws Exception {
    String line = RecordJson.line(r);
    assertThat(line).doesNotContain("\n");
    return JSON.readTree(line);
  }

  @Test
  void aJsonValueIsEmbeddedAsJsonWithItsNumbersExact() throws Exception {
    ConsumerRecord<byte[], byte[]> r =
        record("7".getBytes(), "{\"a\":1.10,\"b\":\"x\\ny\"}".getBytes(StandardCharsets.UTF_8));
    r.headers().add("zgres-channel", "chat_message_7".getBytes());
    String text = RecordJson.line(r);
    assertThat(text).contains("\"a\":1.10");
    JsonNode line = JSON.readTree(text);
    assertThat(line.path("topic").asText()).isEqualTo("chat.messages");
    assertThat(line.path("partition").asInt()).isEqualTo(2);
    assertThat(line.path("offset").asLong()).isEqualTo(41);
    assertThat(line.path("key").asText()).isEqualTo("7");
    assertThat(line.path("headers").path("zgres-channel").asText()).isEqualTo("chat_message_7");
    assertThat(line.path("value_format").asText()).isEqualTo("json");
    assertThat(line.path("value").path("b").asText()).isEqualTo("x\ny");
  }

  @Test
  void textThatIsNotJsonStaysAString() throws Exception {
    JsonNode line = line(record(null, "not json {".getBytes()));
    assertThat(line.path("value_format").asText()).isEqualTo("text");
    assertThat(line.path("value").asText()).isEqualTo("not json {");
    assertThat(line.path("key").isNull()).isTrue();
  }

  @Test
  void bytesThatAreNotUtf8AreRecoverableFromBase64() throws Exception {
    byte[] value = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28};
    byte[] key = {(byte) 0xfe};
    ConsumerRecord<byte[], byte[]> r = record(key, value);
    r.headers().add("h", new byte[] {(byte) 0x80});
    r.headers().add("h", "two".getBytes());
    JsonNode line = line(r);
    assertThat(line.path("value_format").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(line.path("value").asText())).isEqualTo(value);
    assertThat(Base64.getDecoder().decode(line.path("key").path("base64").asText())).isEqualTo(key);
    assertThat(line.path("headers").path("h").get(1).asText()).isEqualTo("two");
    assertThat(
            Base64.getDecoder()
                .decode(line.path("headers").path("h").get(0).path("base64").asText()))
        .isEqualTo(new byte[] {(byte) 0x80});
  }

  @Test
  void aMissingValueIsNull() throws Exception {
    JsonNode line = line(record("k".getBytes(), null));
    assertThat(line.path("value").isNull()).isTrue();
    assertThat(line.path("value_format").asText()).isEqualTo("null");
  }
}
