package dev.zgres.consumers.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record as one line of JSON: {@code topic}, {@code partition}, {@code offset}, {@code
 * timestamp} (epoch ms), {@code key}, {@code headers} (name to value; a repeated name to an array
 * of values), {@code value} and {@code value_format}.
 *
 * <p>The value is embedded as JSON when it is JSON ({@code "value_format":"json"}), else as a
 * string ({@code "text"}); bytes that are not UTF-8 are written in base64 ({@code "base64"}), and a
 * missing value is {@code null} ({@code "null"}). A key or header value that is not UTF-8 becomes
 * {@code {"base64":"..."}}: zgres writes them as strings, so the object form is unambiguous.
 * Nothing is lost: every byte can be recovered from the line.
 */
public final class RecordJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private RecordJson() {}

  /** The record as one line of JSON (no line break inside, none at the end). */
  public static String line(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", record.timestamp());
    line.set("key", textOrBase64(record.key()));
    ObjectNode headers = line.putObject("headers");
    for (Header h : record.headers()) {
      JsonNode value = textOrBase64(h.value());
      JsonNode seen = headers.get(h.key());
      if (seen == null) {
        headers.set(h.key(), value);
      } else if (seen.isArray()) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) seen).add(value);
      } else {
        headers.putArray(h.key()).add(seen).add(value);
      }
    }
    byte[] value = record.value();
    String text = value == null ? null : utf8(value);
    if (value == null) {
      line.putNull("value");
      line.put("value_format", "null");
    } else if (text == null) {
      line.put("value", Base64.getEncoder().encodeToString(value));
      line.put("value_format", "base64");
    } else {
      JsonNode parsed = parseJson(text);
      if (parsed != null) {
        line.set("value", parsed);
        line.put("value_format", "json");
      } else {
        line.put("value", text);
        line.put("value_format", "text");
      }
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a record as JSON", e);
    }
  }

  private static JsonNode textOrBase64(byte[] bytes) {
    if (bytes == null) {
      return JSON.nullNode();
    }
    String text = utf8(bytes);
    if (text != null) {
      return JSON.getNodeFactory().textNode(text);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("base64", Base64.getEncoder().encodeToString(bytes));
    return node;
  }

  private static JsonNode parseJson(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The bytes as a string when they are well-formed UTF-8, else null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
