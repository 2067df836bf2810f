package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.gateway.GatewayFixture.User;
import dev.zgres.testkit.Await;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reconnecting clients resume from their last position: from the gateway's memory, from Kafka, or
 * they are told to refetch. The gateway keeps 3 records per channel in memory here, so a longer
 * break is replayed from Kafka.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayResumeIT {
  static GatewayFixture fixture;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    fixture = new GatewayFixture();
    gateway = fixture.gateway(GatewayConfig.Tuning.defaults().withWindowRecords(3));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private static String subscribe(int channel, String epoch, long offset) {
    return "{\"type\":\"subscribe\",\"channel_id\":"
        + channel
        + ",\"since\":{\"epoch\":\""
        + epoch
        + "\",\"offset\":"
        + offset
        + "}}";
  }

  private static String subscribe(int channel) {
    return "{\"type\":\"subscribe\",\"channel_id\":" + channel + "}";
  }

  private static List<String> contents(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("event").get("content").asText()).toList();
  }

  private static List<Long> offsets(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("offset").asLong()).toList();
  }

  private double resumes(String outcome) {
    var counter = gateway.registry().find(GatewayMeters.RESUMES).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private void post(User user, int channel, String... contents) throws SQLException {
    for (String c : contents) {
      fixture.post(user.id(), channel, c);
    }
  }

  @Test
  void aShortBreakIsRecoveredFromMemoryExactlyOnceAndInOrder() throws Exception {
    User ann = fixture.user(gateway, "ann");
    int channel = fixture.createChannel(gateway, ann, "public");
    try (WsClient keeper = WsClient.authenticated(gateway.port(), ann.token())) {
      keeper.send(subscribe(channel));
      keeper.awaitType("subscribed");
      JsonNode last;
      try (WsClient first = WsClient.authenticated(gateway.port(), ann.token())) {
        first.send(subscribe(channel));
        first.awaitType("subscribed");
        post(ann, channel, "m1");
        last = first.awaitMessages(channel, 1).get(0);
      }
      post(ann, channel, "m2", "m3");
      keeper.awaitMessages(channel, 3);
      double recoveredBefore = resumes("recovered");

      try (WsClient again = WsClient.authenticated(gateway.port(), ann.token())) {
        again.send(subscribe(channel, last.get("epoch").asText(), last.get("offset").asLong()));
        JsonNode subscribed = again.awaitType("subscribed");
        assertThat(subscribed.get("recovered").asBoolean()).isTrue();
        List<JsonNode> missed = again.awaitMessages(channel, 2);
        post(ann, channel, "m4");
        List<JsonNode> live = again.awaitMessages(channel, 1);
        assertThat(contents(missed)).containsExactly("m2", "m3");
        assertThat(contents(live)).containsExactly("m4");
        assertThat(again.drain(Duration.ofMillis(500)))
            .noneMatch(f -> f.path("type").asText().equals("message"));
      }
      assertThat(resumes("recovered")).isEqualTo(recoveredBefore + 1);
    }
  }

  @Test
  void aLongBreakIsReplayedFromKafkaWithNoGapOrDuplicateWhileMessagesKeepComing() throws Exception {
    User bea = fixture.user(gateway, "bea");
    int channel = fixture.createChannel(gateway, bea, "public");
    try (WsClient keeper = WsClient.authenticated(gateway.port(), bea.token())) {
      keeper.send(subscribe(channel));
      keeper.awaitType("subscribed");
      post(bea, channel, "k1", "k2", "k3", "k4", "k5", "k6");
      List<JsonNode> before = keeper.awaitMessages(channel, 6);
      JsonNode since = before.get(0);
      double replayedBefore = resumes("replayed");

      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 30; i++) {
                    fixture.post(bea.id(), channel, "w" + i);
                  }
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              },
              "test-writer");
      writer.start();
      try (WsClient resumer = WsClient.authenticated(gateway.port(), bea.token())) {
        resumer.send(subscribe(channel, since.get("epoch").asText(), since.get("offset").asLong()));
        writer.join(60_000);
        List<JsonNode> all = new ArrayList<>(before.subList(1, 6));
        all.addAll(keeper.awaitMessages(channel, 30));
        List<JsonNode> got = resumer.awaitMessages(channel, all.size());
        assertThat(offsets(got)).containsExactlyElementsOf(offsets(all));
        assertThat(contents(got)).startsWith("k2", "k3", "k4", "k5", "k6", "w0").endsWith("w29");
        assertThat(resumer.drain(Duration.ofMillis(500)))
            .noneMatch(f -> f.path("type").asText().equals("message"));
      }
      assertThat(resumes("replayed")).isEqualTo(replayedBefore + 1);
    }
  }

  @Test
  void aPositionFromAnotherEpochIsToldToRefetch() throws Exception {
    User cal = fixture.user(gateway, "cal");
    int channel = fixture.createChannel(gateway, cal, "public");
    try (WsClient ws = WsClient.authenticated(gateway.port(), cal.token())) {
      ws.send(subscribe(channel, "an-old-topic-3", 5));
      JsonNode refetch = ws.awaitType("refetch");
      assertThat(refetch.get("channel_id").asInt()).isEqualTo(channel);
      assertThat(refetch.get("reason").asText()).isEqualTo("epoch_changed");
    }
  }

  @Test
  void aPositionWhoseRecordsKafkaDeletedIsToldToRefetch() throws Exception {
    User dee = fixture.user(gateway, "dee");
    int channel = fixture.createChannel(gateway, dee, "public");
    try (WsClient keeper = WsClient.authenticated(gateway.port(), dee.token())) {
      keeper.send(subscribe(channel));
      keeper.awaitType("subscribed");
      post(dee, channel, "d1", "d2", "d3", "d4", "d5", "d6");
      JsonNode first = keeper.awaitMessages(channel, 6).get(0);
      deleteAllRecords(fixture.kafka, "chat.messages");

      try (WsClient ws = WsClient.authenticated(gateway.port(), dee.token())) {
        ws.send(subscribe(channel, first.get("epoch").asText(), first.get("offset").asLong()));
        JsonNode refetch = ws.awaitType("refetch");
        assertThat(refetch.get("reason").asText()).isEqualTo("records_gone");
      }
    }
  }

  private static void deleteAllRecords(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
    }
    Await.until("records deleted", Duration.ofSeconds(5), () -> true);
  }
}
