package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.embedded.DebianPostgres15;
import dev.zgres.testkit.PlProxyCluster;
import dev.zgres.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The real gateway, unchanged, with its database URL on the PL/Proxy proxy of two partitions and a
 * bridge per partition into the test Kafka: login, channels, a subscription and a live message over
 * a real WebSocket, for users and channels on both partitions.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxiedGatewayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private PlProxyCluster cluster;
  private final List<Bridge> bridges = new ArrayList<>();
  private Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    String missing = DebianPostgres15.missing();
    assumeTrue(missing == null, () -> "PL/Proxy tests skipped: " + missing);
    cluster = PlProxyCluster.start(2);
    String kafka = TestServers.kafkaBootstrap();
    for (int p = 0; p < cluster.partitions().size(); p++) {
      bridges.add(
          Bridges.start(
              cluster.partitions().get(p), kafka, Map.of("ZGRES_SOURCE_NAME", "chat-p" + p)));
    }
    gateway =
        Gateway.start(
            new GatewayConfig(
                0,
                0,
                GatewayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                cluster.proxy(),
                kafka,
                GatewayConfig.Tuning.defaults()));
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    bridges.forEach(Bridge::close);
    if (cluster != null) {
      cluster.close();
    }
    http.close();
  }

  @Test
  void usersOnBothPartitionsLogInSubscribeAndHearALiveMessage() throws Exception {
    Login[] pair = usersOnBothPartitions();
    Login owner = pair[0];
    Login guest = pair[1];
    int channel =
        JSON.readTree(
                call(
                    "POST",
                    "/api/channels",
                    owner.token(),
                    "{\"name\":\"across\",\"channel_type\":\"private\",\"member_ids\":["
                        + guest.id()
                        + "]}",
                    201))
            .get("channel_id")
            .asInt();
    assertThat(cluster.partitionOf(channel)).isEqualTo(cluster.partitionOf(owner.id()));

    JsonNode mine = JSON.readTree(call("GET", "/api/channels", guest.token(), null, 200));
    assertThat(mine.get("channels").findValuesAsText("channel_id"))
        .contains(String.valueOf(channel));

    try (WsClient ws = WsClient.authenticated(gateway.port(), guest.token())) {
      ws.send("{\"type\":\"subscribe\",\"channel_id\":" + channel + ",\"id\":\"s1\"}");
      ws.awaitType("subscribed");
      try (WsClient writer = WsClient.authenticated(gateway.port(), owner.token())) {
        JsonNode online =
            ws.await(
                "the owner online (presence from their home partition)",
                f ->
                    f.path("type").asText().equals("presence")
                        && f.path("user_id").asInt() == owner.id());
        assertThat(online.get("status").asText()).isEqualTo("online");
        writer.send(
            "{\"type\":\"send\",\"channel_id\":"
                + channel
                + ",\"content\":\"live across partitions\",\"id\":1}");
        assertThat(ws.awaitMessages(channel, 1).get(0).get("event").get("content").asText())
            .isEqualTo("live across partitions");
        writer.send("{\"type\":\"typing\",\"channel_id\":" + channel + ",\"is_typing\":true}");
        assertThat(ws.awaitType("typing").get("user_id").asInt()).isEqualTo(owner.id());
      }
    }
    JsonNode history =
        JSON.readTree(
            call(
                "GET", "/api/channels/" + channel + "/messages?limit=5", guest.token(), null, 200));
    assertThat(history.get("messages").findValuesAsText("content"))
        .containsExactly("live across partitions");
  }

  private record Login(int id, String token) {}

  private Login[] usersOnBothPartitions() throws Exception {
    Login[] found = new Login[2];
    for (int i = 0; i < 64 && (found[0] == null || found[1] == null); i++) {
      Login user = register("side");
      found[cluster.partitionOf(user.id())] = user;
    }
    assertThat(found).doesNotContainNull();
    return found;
  }

  private Login register(String prefix) throws Exception {
    String name = prefix + "_" + NAMES.incrementAndGet();
    call(
        "POST",
        "/api/register",
        null,
        "{\"username\":\""
            + name
            + "\",\"password\":\""
            + GatewayFixture.PASSWORD
            + "\",\"email\":\""
            + name
            + "@example.org\"}",
        201);
    JsonNode login =
        JSON.readTree(
            call(
                "POST",
                "/api/login",
                null,
                "{\"username\":\"" + name + "\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}",
                200));
    return new Login(login.get("user_id").asInt(), login.get("token").asText());
  }

  private String call(String method, String path, String token, String body, int expected)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s answered %s", method, path, r.body()).isEqualTo(expected);
    return r.body();
  }
}
