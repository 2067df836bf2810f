package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.header;
import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chat events from the SQL API through the bridge (default settings) into Kafka. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatPipelineIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PgEndpoint db;
  private static String kafka;
  private static Bridge bridge;

  @BeforeAll
  static void start() throws Exception {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
    bridge = Bridges.start(db, kafka, Map.of());
  }

  @AfterAll
  static void stop() {
    bridge.close();
  }

  private static JsonNode json(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (java.io.IOException e) {
      throw new AssertionError("record value is not JSON", e);
    }
  }

  /** Membership events (member_joined) share the channel's key; these tests look at messages. */
  private static boolean isMessageCreated(ConsumerRecord<byte[], byte[]> r, int channel) {
    return String.valueOf(channel).equals(text(r.key()))
        && json(r.value()).path("event").asText().equals("message_created");
  }

  @Test
  void postedMessageArrivesOnChatMessagesKeyedByItsChannelId() throws Exception {
    try (ChatApi chat = ChatApi.connect(db)) {
      int alice = chat.newUser("alice");
      int bob = chat.newUser("bob");
      int channel = chat.createChannel(alice, "general", "public", bob);
      long message = chat.postMessage(bob, channel, "hello '; DROP TABLE chat.messages; -- é🙂");
      try (TopicReader records = new TopicReader(kafka, List.of("chat.messages"))) {
        ConsumerRecord<byte[], byte[]> record =
            records.await(r -> isMessageCreated(r, channel), 1, WAIT).getFirst();
        JsonNode payload = JSON.readTree(record.value());
        assertThat(payload.get("event").asText()).isEqualTo("message_created");
        assertThat(payload.get("message_id").asLong()).isEqualTo(message);
        assertThat(payload.get("user_id").asInt()).isEqualTo(bob);
        assertThat(payload.get("content").asText())
            .isEqualTo("hello '; DROP TABLE chat.messages; -- é🙂");
        assertThat(header(record, EventHeaders.CHANNEL)).isEqualTo("chat_message_" + channel);
      }
    }
  }

  @Test
  void messageInAChannelCreatedInTheSameTransactionArrives() throws Exception {
    try (ChatApi chat = ChatApi.connect(db)) {
      int carol = chat.newUser("carol");
      int dave = chat.newUser("dave");
      chat.connection().setAutoCommit(false);
      int channel = chat.createChannel(carol, "private room", "private", dave);
      chat.postMessage(carol, channel, "first words");
      chat.postMessage(dave, channel, "second words");
      chat.connection().commit();
      try (TopicReader records = new TopicReader(kafka, List.of("chat.messages"))) {
        assertThat(records.await(r -> isMessageCreated(r, channel), 2, WAIT))
            .extracting(r -> json(r.value()).get("content").asText())
            .containsExactly("first words", "second words");
      }
    }
  }

  @Test
  void typingAndPresenceArriveOnWebsocketEventsKeyedByChannelOrUser() throws Exception {
    try (ChatApi chat = ChatApi.connect(db)) {
      int erin = chat.newUser("erin");
      int channel = chat.createChannel(erin, "typing room", "public");
      chat.run("SELECT chat.handle_typing_indicator(?, ?, true)", channel, erin);
      chat.run("SELECT chat.set_presence(?, 'online')", erin);
      try (TopicReader records =
          new TopicReader(kafka, List.of("chat.websocket_events", "chat.websocket_events.dlq"))) {
        List<ConsumerRecord<byte[], byte[]>> got =
            records.await(r -> json(r.value()).path("user_id").asInt() == erin, 2, WAIT);
        assertThat(got).extracting(ConsumerRecord::topic).containsOnly("chat.websocket_events");
        assertThat(got)
            .extracting(r -> text(r.key()))
            .containsExactly(String.valueOf(channel), String.valueOf(erin));
      }
    }
  }
}
