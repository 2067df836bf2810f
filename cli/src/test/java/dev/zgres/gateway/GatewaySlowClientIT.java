package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.gateway.GatewayFixture.User;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that stops reading is closed with 4001; the others keep receiving everything. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewaySlowClientIT {
  private static final int MESSAGES = 1500;

  @Test
  void aSlowClientIsClosedWhileAFastOneReceivesEverything() throws Exception {
    try (GatewayFixture fixture = new GatewayFixture();
        Gateway gateway =
            fixture.gateway(GatewayConfig.Tuning.defaults().withSendQueue(20, 64 * 1024))) {
      User fay = fixture.user(gateway, "fay");
      int channel = fixture.createChannel(gateway, fay, "public");
      String subscribe = "{\"type\":\"subscribe\",\"channel_id\":" + channel + "}";
      try (WsClient fast = WsClient.authenticated(gateway.port(), fay.token());
          RawWsClient slow = new RawWsClient(gateway.port())) {
        slow.sendText("{\"type\":\"auth\",\"token\":\"" + fay.token() + "\"}");
        slow.sendText(subscribe);
        fast.send(subscribe);
        fast.awaitType("subscribed");
        Await.until(
            "both subscribed",
            Duration.ofSeconds(10),
            () -> gateway.registry().get(GatewayMeters.SUBSCRIPTIONS).gauge().value() == 2);

        String body = "é".repeat(2000);
        long start = System.nanoTime();
        try (Connection c = TestServers.connect(fixture.db);
            PreparedStatement s = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
          for (int i = 0; i < MESSAGES; i++) {
            s.setInt(1, fay.id());
            s.setInt(2, channel);
            s.setString(3, i + " " + body);
            s.execute();
          }
        }
        var received = fast.awaitMessages(channel, MESSAGES);
        System.out.printf(
            "fast client received %d messages of ~4 KB in %d ms%n",
            received.size(), (System.nanoTime() - start) / 1_000_000);
        for (int i = 0; i < MESSAGES; i++) {
          assertThat(received.get(i).get("event").get("content").asText()).startsWith(i + " ");
        }
        System.out.println(
            gateway
                .registry()
                .scrape()
                .lines()
                .filter(l -> l.startsWith("zgres_gateway"))
                .toList());
        Await.until(
            "the slow client closed",
            Duration.ofSeconds(30),
            () -> gateway.registry().get(GatewayMeters.SLOW_CLOSES).counter().count() == 1);
        assertThat(slow.readUntilClose()).isEqualTo(4001);
      }
    }
  }
}
