package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.gateway.GatewayFixture.User;
import dev.zgres.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat page through a gateway restart: it reconnects by itself and resumes without a gap. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChatPageRecoveryIT {
  @RegisterExtension final ChatBrowsers browsers = new ChatBrowsers();
  GatewayFixture fixture;
  Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    fixture = new GatewayFixture();
    gateway = fixture.gateway(GatewayConfig.Tuning.defaults());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void thePageRecoversAfterTheGatewayRestartsAndShowsWhatWasPostedMeanwhileOnce() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    int port = gateway.port();
    ChatPage bobPage =
        browsers.open("http://127.0.0.1:" + port).logIn(bob.name(), GatewayFixture.PASSWORD);
    bobPage.openChannel(room);
    fixture.post(alice.id(), room, "before the restart");
    bobPage.awaitMessage("before the restart");

    gateway.close();
    bobPage.await("the page to notice", d -> bobPage.connection().startsWith("offline"));
    List<String> expected = new ArrayList<>(List.of("before the restart"));
    for (int i = 1; i <= 5; i++) {
      fixture.post(alice.id(), room, "while it was down " + i);
      expected.add("while it was down " + i);
    }
    long down = System.nanoTime();
    gateway =
        Gateway.start(
            new GatewayConfig(
                port,
                fixture.config(GatewayConfig.Tuning.defaults()).secret(),
                fixture.db,
                fixture.kafka,
                GatewayConfig.Tuning.defaults()));

    bobPage.awaitLive();
    bobPage.awaitMessage("while it was down 5");
    System.out.printf(
        "the page showed what it missed %d ms after the gateway was started again%n",
        (System.nanoTime() - down) / 1_000_000);
    fixture.post(alice.id(), room, "after the restart");
    expected.add("after the restart");
    bobPage.awaitMessage("after the restart");
    assertThat(bobPage.messages()).isEqualTo(expected);
  }

  @Test
  void whenTheMissedRecordsAreGoneFromKafkaThePageReloadsTheChannelFromHistory() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    int port = gateway.port();
    ChatPage bobPage =
        browsers.open("http://127.0.0.1:" + port).logIn(bob.name(), GatewayFixture.PASSWORD);
    bobPage.openChannel(room);
    fixture.post(alice.id(), room, "seen live");
    bobPage.awaitMessage("seen live");

    gateway.close();
    bobPage.await("the page to notice", d -> bobPage.connection().startsWith("offline"));
    for (int i = 1; i <= 3; i++) {
      fixture.post(alice.id(), room, "only in history " + i);
    }
    try (TopicReader chat = new TopicReader(fixture.kafka, "chat.messages")) {
      chat.await(
          r -> new String(r.value(), StandardCharsets.UTF_8).contains("only in history 3"),
          1,
          Duration.ofSeconds(60));
    }
    deleteAllRecords(fixture.kafka, "chat.messages");
    gateway =
        Gateway.start(
            new GatewayConfig(
                port,
                GatewayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                fixture.db,
                fixture.kafka,
                GatewayConfig.Tuning.defaults()));

    bobPage.awaitLive();
    bobPage.awaitMessage("only in history 3");
    assertThat(bobPage.messages())
        .containsExactly(
            "seen live", "only in history 1", "only in history 2", "only in history 3");
    var refetches =
        gateway.registry().find(GatewayMeters.RESUMES).tag("outcome", "refetch").counter();
    assertThat(refetches).as("the gateway told the page to refetch").isNotNull();
    assertThat(refetches.count()).isGreaterThanOrEqualTo(1);
    fixture.post(alice.id(), room, "live again");
    bobPage.awaitMessage("live again");
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
  }
}
