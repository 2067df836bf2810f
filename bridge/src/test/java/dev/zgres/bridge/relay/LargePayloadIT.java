package dev.zgres.bridge.relay;

import static dev.zgres.testkit.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Notify mode around NOTIFY's 8000-byte limit and Kafka's default 1 MB record limit, against a
 * broker with default settings: 7,999 bytes go inline, 8,000 bytes and 100 KB through the spill
 * table, all intact; 5 MB never fails the writer and becomes a dead letter with its reason, its
 * size and its first 1,024 bytes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LargePayloadIT {
  private static final int FIVE_MB = 5 * 1024 * 1024;
  private static PgEndpoint db;
  private static String kafka;

  @BeforeAll
  static void servers() {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
  }

  @Test
  void payloadsAroundTheNotifyLimitArriveIntactAndFiveMegabytesBecomesADeadLetter()
      throws Exception {
    String channel = "large_" + ProcessHandle.current().pid();
    Map<String, String> env = TestSettings.of(db, kafka).with("ZGRES_CHANNELS", channel).toMap();
    String inline = payload("7999", 7_999);
    String atLimit = payload("8000", 8_000);
    String hundredKb = payload("100k", 100 * 1024);
    String fiveMb = payload("5mb", FIVE_MB);

    try (Bridge bridge = Bridge.start(BridgeConfig.from(env));
        TopicReader reader = new TopicReader(kafka, channel, channel + EventHeaders.DLQ_SUFFIX)) {
      assertThat(bridge.health().details()).containsEntry("role", "active");
      try (Connection c = TestServers.connect(db);
          PreparedStatement emit = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
        for (String payload : List.of(inline, atLimit, hundredKb, fiveMb)) {
          emit.setString(1, channel);
          emit.setString(2, payload);
          emit.execute();
        }
      }
      List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(4, Duration.ofSeconds(60));

      List<ConsumerRecord<byte[], byte[]>> delivered =
          records.stream().filter(r -> r.topic().equals(channel)).toList();
      assertThat(delivered)
          .extracting(r -> r.value().length)
          .containsExactly(7_999, 8_000, 100 * 1024);
      assertThat(delivered.get(0).value()).isEqualTo(bytes(inline));
      assertThat(delivered.get(1).value()).isEqualTo(bytes(atLimit));
      assertThat(delivered.get(2).value()).isEqualTo(bytes(hundredKb));
      assertThat(header(delivered.get(0), EventHeaders.EVENT_ID)).startsWith("n-");
      assertThat(header(delivered.get(1), EventHeaders.EVENT_ID)).matches("s-\\d+");
      assertThat(header(delivered.get(2), EventHeaders.EVENT_ID)).matches("s-\\d+");

      List<ConsumerRecord<byte[], byte[]>> dead =
          records.stream()
              .filter(r -> r.topic().equals(channel + EventHeaders.DLQ_SUFFIX))
              .toList();
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> letter = dead.get(0);
      assertThat(letter.value()).isEqualTo(Arrays.copyOf(bytes(fiveMb), 1024));
      assertThat(header(letter, "zgres-payload-size")).isEqualTo(String.valueOf(FIVE_MB));
      assertThat(header(letter, EventHeaders.DLQ_REASON))
          .contains("payload of " + FIVE_MB + " bytes is larger than Kafka accepts")
          .contains("RecordTooLargeException");
      assertThat(header(letter, EventHeaders.DLQ_TOPIC)).isEqualTo(channel);
      assertThat(header(letter, EventHeaders.EVENT_ID)).matches("s-\\d+");
      awaitSpillEmpty();
      System.out.printf(
          "FAULT notify large payloads: 7999=%s 8000=%s 102400=%s 5242880=dead-letter(size=%s, value=%d bytes, reason=%s)"
              + " writer_failures=0 spill_rows_left=0%n",
          intact(delivered.get(0), inline),
          intact(delivered.get(1), atLimit),
          intact(delivered.get(2), hundredKb),
          header(letter, "zgres-payload-size"),
          letter.value().length,
          header(letter, EventHeaders.DLQ_REASON).replaceAll(":.*", ""));
    }
  }

  private static String intact(ConsumerRecord<byte[], byte[]> record, String payload) {
    return Arrays.equals(record.value(), bytes(payload)) ? "intact" : "CHANGED";
  }

  /**
   * JSON of exactly {@code size} bytes, padded with two-byte characters so bytes and characters
   * differ.
   */
  private static String payload(String label, int size) {
    String head = "{\"case\":\"" + label + "\",\"pad\":\"";
    String tail = "\"}";
    int fill = size - bytes(head).length - tail.length();
    String pad = (fill % 2 == 1 ? "x" : "") + "é".repeat(fill / 2);
    String json = head + pad + tail;
    assertThat(bytes(json)).hasSize(size);
    return json;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitSpillEmpty() {
    Await.until(
        "spill rows deleted after Kafka acknowledged them",
        Duration.ofSeconds(30),
        () -> {
          try (Connection c = TestServers.connect(db);
              Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM zgres.spill")) {
            rs.next();
            return rs.getInt(1) == 0;
          } catch (SQLException e) {
            throw new AssertionError("cannot count spill rows", e);
          }
        });
  }
}
