package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.header;
import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The notify path end to end: trigger, NOTIFY, bridge, Kafka, on real servers. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BridgeIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static PgEndpoint db;
  private static String kafka;
  private static Bridge bridge;

  @BeforeAll
  static void start() throws SQLException {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE bridge_it_rows (id serial PRIMARY KEY, label text, amount numeric, note text)");
      s.execute("SELECT zgres.watch_table('bridge_it_rows', ARRAY['id', 'label', 'amount'])");
    }
    bridge =
        Bridges.start(
            db,
            kafka,
            Map.of(
                "ZGRES_CHANNELS",
                    "db_notifications,websocket_event,chat_message_*,plain_it,Weird \"Chan\"; x,routed_eu",
                "ZGRES_ROUTES", "routed_*=routed.{*}|{$.customer.id}"));
  }

  @AfterAll
  static void stop() {
    bridge.close();
  }

  @Test
  void republishesRowChangesVerbatimKeyedBySchemaAndTable() throws Exception {
    String hostile =
        "quote\" backslash\\ newline\n tab\t unicode é✓🙂 '; DROP TABLE bridge_it_rows; --";
    List<String> emitted;
    try (Connection listener = TestServers.connect(db);
        Connection writer = TestServers.connect(db)) {
      listener.createStatement().execute("LISTEN db_notifications");
      try (PreparedStatement insert =
          writer.prepareStatement("INSERT INTO bridge_it_rows (label, amount) VALUES (?, 12.50)")) {
        insert.setString(1, hostile);
        insert.executeUpdate();
      }
      writer
          .createStatement()
          .execute("UPDATE bridge_it_rows SET label = label || '!', note = 'not published'");
      writer.createStatement().execute("DELETE FROM bridge_it_rows");
      emitted = collect(listener, 3);
    }
    try (TopicReader records = new TopicReader(kafka, List.of("db_notifications"))) {
      List<ConsumerRecord<byte[], byte[]>> got =
          records.await(r -> "public.bridge_it_rows".equals(text(r.key())), 3, WAIT);
      assertThat(got).extracting(r -> text(r.value())).containsExactlyElementsOf(emitted);
      assertThat(got)
          .extracting(r -> header(r, EventHeaders.CHANNEL))
          .containsOnly("db_notifications");
      assertThat(got).extracting(r -> header(r, EventHeaders.SOURCE)).containsOnly("notify");
      assertThat(got)
          .extracting(r -> header(r, EventHeaders.EVENT_ID))
          .doesNotHaveDuplicates()
          .doesNotContainNull();
      assertThat(got)
          .allSatisfy(
              r ->
                  assertThat(Long.parseLong(header(r, EventHeaders.RECEIVED_AT)))
                      .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis()));
      assertThat(text(got.get(0).value())).contains("\"operation\" : \"INSERT\"").contains("12.50");
      assertThat(text(got.get(2).value()))
          .contains("\"operation\" : \"DELETE\"")
          .doesNotContain("not published");
    }
  }

  @Test
  void carriesPayloadsThatAreNotJsonOnAChannelOfItsOwn() throws Exception {
    emit("plain_it", "just text, not {json");
    emit("Weird \"Chan\"; x", "{\"a\":1}");
    try (TopicReader records = new TopicReader(kafka, List.of("plain_it", TopicNames.INVALID))) {
      assertThat(records.await(r -> r.topic().equals("plain_it"), 1, WAIT))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(text(r.value())).isEqualTo("just text, not {json");
                assertThat(text(r.key())).isEqualTo("plain_it");
              });
      assertThat(records.await(r -> r.topic().equals(TopicNames.INVALID), 1, WAIT))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(header(r, EventHeaders.CHANNEL)).isEqualTo("Weird \"Chan\"; x");
                assertThat(header(r, EventHeaders.DLQ_REASON))
                    .contains("not a legal Kafka topic name");
                assertThat(text(r.value())).isEqualTo("{\"a\":1}");
              });
    }
  }

  @Test
  void payloadWithoutItsKeyFieldGoesToTheDeadLetterTopicWithTheReason() throws Exception {
    emit("websocket_event", "{\"event_type\":\"typing\",\"marker\":\"dlq-it\"}");
    emit("websocket_event", "{\"event_type\":\"typing\",\"channel_id\":77,\"marker\":\"ok-it\"}");
    try (TopicReader records =
        new TopicReader(kafka, List.of("chat.websocket_events", "chat.websocket_events.dlq"))) {
      assertThat(records.await(r -> text(r.value()).contains("dlq-it"), 1, WAIT))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.topic()).isEqualTo("chat.websocket_events.dlq");
                assertThat(header(r, EventHeaders.DLQ_REASON))
                    .isEqualTo(
                        "key: payload has no field channel_id; payload has no field user_id");
                assertThat(header(r, EventHeaders.DLQ_TOPIC)).isEqualTo("chat.websocket_events");
                assertThat(text(r.value()))
                    .isEqualTo("{\"event_type\":\"typing\",\"marker\":\"dlq-it\"}");
              });
      assertThat(records.await(r -> text(r.value()).contains("ok-it"), 1, WAIT))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.topic()).isEqualTo("chat.websocket_events");
                assertThat(text(r.key())).isEqualTo("77");
              });
    }
  }

  @Test
  void configuredRoutesPickTopicAndKeyFromChannelAndPayload() throws Exception {
    emit("routed_eu", "{\"customer\":{\"id\":\"c-9\"},\"total\":3}");
    try (TopicReader records = new TopicReader(kafka, List.of("routed.eu"))) {
      assertThat(records.await(r -> true, 1, WAIT))
          .singleElement()
          .satisfies(r -> assertThat(text(r.key())).isEqualTo("c-9"));
    }
  }

  @Test
  void discoveredChannelKeepsItsOrderFromRegistrationOn() throws Exception {
    // Emitted right after registration: the first payloads go through the relay until the bridge
    // LISTENs on the channel, the rest directly; the key's order must hold across the switch.
    try (Connection c = TestServers.connect(db);
        PreparedStatement p = c.prepareStatement("SELECT zgres.emit('chat_message_9001', ?)")) {
      c.createStatement().execute("SELECT zgres.register_channel('chat_message_9001')");
      for (int i = 0; i < 200; i++) {
        p.setString(1, "{\"seq\":" + i + "}");
        p.execute();
      }
    }
    try (TopicReader records = new TopicReader(kafka, List.of("chat.messages"))) {
      List<ConsumerRecord<byte[], byte[]>> got =
          records.await(r -> "9001".equals(text(r.key())), 200, WAIT);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        expected.add("{\"seq\":" + i + "}");
      }
      assertThat(got).extracting(r -> text(r.value())).containsExactlyElementsOf(expected);
    }
  }

  static void emit(String channel, String payload) throws SQLException {
    try (Connection c = TestServers.connect(db);
        PreparedStatement p = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
      p.setString(1, channel);
      p.setString(2, payload);
      p.execute();
    }
  }

  private static List<String> collect(Connection listener, int count) throws SQLException {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    PGConnection pg = listener.unwrap(PGConnection.class);
    while (out.size() < count && System.nanoTime() < deadline) {
      PGNotification[] batch = pg.getNotifications(200);
      if (batch != null) {
        for (PGNotification n : batch) {
          out.add(n.getParameter());
        }
      }
    }
    return out;
  }

  private static final class TopicNames {
    static final String INVALID = dev.zgres.bridge.route.TopicRouter.INVALID_TOPIC_DLQ;
  }
}
