package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.gateway.GatewayFixture.User;
import dev.zgres.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway instances on one bridge, no sticky sessions: each serves its own clients every
 * record, and presence stays true when one of them is killed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayClusterIT {
  private static final Duration PRESENCE_TTL = Duration.ofSeconds(3);

  @Test
  void twoGatewaysServeTheirOwnClientsAndAKilledOnesUsersGoOffline() throws Exception {
    Path log = Files.createTempFile("gateway-child", ".log");
    try (GatewayFixture fixture = new GatewayFixture();
        Gateway local =
            fixture.gateway(GatewayConfig.Tuning.defaults().withPresenceTtl(PRESENCE_TTL))) {
      Process child = startChild(fixture, log);
      try {
        int remotePort = awaitPort(log, child);
        User xena = fixture.user(local, "xena");
        User yuri = fixture.user(local, "yuri");
        int channel = fixture.createChannel(local, xena, "public");
        String subscribe = "{\"type\":\"subscribe\",\"channel_id\":" + channel + "}";

        try (WsClient onLocal = WsClient.authenticated(local.port(), yuri.token())) {
          try (WsClient onRemote = WsClient.authenticated(remotePort, xena.token())) {
            JsonNode online =
                onLocal.await(
                    "xena online",
                    f ->
                        f.path("type").asText().equals("presence")
                            && f.path("user_id").asInt() == xena.id());
            assertThat(online.get("status").asText()).isEqualTo("online");

            onLocal.send(subscribe);
            onRemote.send(subscribe);
            onLocal.awaitType("subscribed");
            onRemote.awaitType("subscribed");
            fixture.post(yuri.id(), channel, "to both");
            assertThat(
                    onLocal.awaitMessages(channel, 1).get(0).get("event").get("content").asText())
                .isEqualTo("to both");
            assertThat(
                    onRemote.awaitMessages(channel, 1).get(0).get("event").get("content").asText())
                .isEqualTo("to both");
            onRemote.send(
                "{\"type\":\"typing\",\"channel_id\":" + channel + ",\"is_typing\":true}");
            assertThat(onLocal.awaitType("typing").get("user_id").asInt()).isEqualTo(xena.id());

            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            JsonNode offline =
                onLocal.await(
                    "xena offline after her gateway died",
                    f ->
                        f.path("type").asText().equals("presence")
                            && f.path("user_id").asInt() == xena.id()
                            && f.path("status").asText().equals("offline"));
            assertThat(offline).isNotNull();
            System.out.printf(
                "presence of a killed gateway's user expired after %d ms (ttl %d ms)%n",
                (System.nanoTime() - killed) / 1_000_000, PRESENCE_TTL.toMillis());
          }
        }
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private static Process startChild(GatewayFixture fixture, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                GatewayProcessMain.class.getName()));
    builder.environment().keySet().removeIf(k -> k.startsWith("ZGRES_"));
    builder.environment().put("ZGRES_GATEWAY_SECRET", GatewayFixture.SECRET);
    builder.environment().put("ZGRES_PG_URL", fixture.db.jdbcUrl());
    builder.environment().put("ZGRES_PG_USER", fixture.db.user());
    builder.environment().put("ZGRES_PG_PASSWORD", fixture.db.password());
    builder.environment().put("ZGRES_KAFKA_BOOTSTRAP", fixture.kafka);
    builder.environment().put("TEST_PRESENCE_TTL_MS", String.valueOf(PRESENCE_TTL.toMillis()));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder.start();
  }

  private static int awaitPort(Path log, Process child) {
    Pattern port = Pattern.compile("GATEWAY_PORT=(\\d+)");
    int[] found = {0};
    Await.until(
        "the child gateway to listen (log " + log + ")",
        Duration.ofSeconds(60),
        () -> {
          if (!child.isAlive()) {
            throw new AssertionError("the child gateway exited; see " + log);
          }
          try {
            Matcher m = port.matcher(Files.readString(log));
            if (m.find()) {
              found[0] = Integer.parseInt(m.group(1));
              return true;
            }
          } catch (java.io.IOException e) {
            return false;
          }
          return false;
        });
    return found[0];
  }
}
