package dev.zgres.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real bridge and a real gateway against the test servers, and the HTTP calls a browser makes.
 */
final class GatewayFixture implements AutoCloseable {
  static final String SECRET = "test secret of at least thirty-two bytes";
  static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  final PgEndpoint db;
  final String kafka;
  final Bridge bridge;
  private final HttpClient http = HttpClient.newHttpClient();

  GatewayFixture() throws SQLException {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
    bridge = Bridges.start(db, kafka, Map.of());
  }

  GatewayConfig config(GatewayConfig.Tuning tuning) {
    return new GatewayConfig(0, 0, SECRET.getBytes(StandardCharsets.UTF_8), db, kafka, tuning);
  }

  Gateway gateway(GatewayConfig.Tuning tuning) throws Exception {
    return Gateway.start(config(tuning));
  }

  /** A registered user: id, name and a login token from {@code gateway}. */
  record User(int id, String name, String token) {}

  User user(Gateway gateway, String prefix) throws Exception {
    String name = prefix + "_" + NAMES.incrementAndGet();
    HttpResponse<String> r =
        post(
            gateway,
            "/api/register",
            null,
            "{\"username\":\""
                + name
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"email\":\""
                + name
                + "@example.org\"}");
    if (r.statusCode() != 201) {
      throw new AssertionError("register answered " + r.statusCode() + " " + r.body());
    }
    HttpResponse<String> login =
        post(
            gateway,
            "/api/login",
            null,
            "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
    JsonNode body = JSON.readTree(login.body());
    return new User(body.get("user_id").asInt(), name, body.get("token").asText());
  }

  int createChannel(Gateway gateway, User owner, String type, int... members) throws Exception {
    StringBuilder ids = new StringBuilder();
    for (int m : members) {
      ids.append(ids.isEmpty() ? "" : ",").append(m);
    }
    HttpResponse<String> r =
        post(
            gateway,
            "/api/channels",
            owner.token(),
            "{\"name\":\"room\",\"channel_type\":\"" + type + "\",\"member_ids\":[" + ids + "]}");
    if (r.statusCode() != 201) {
      throw new AssertionError("create channel answered " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("channel_id").asInt();
  }

  /** Posts straight through SQL (as another application would); returns the message id. */
  long post(int userId, int channelId, String content) throws SQLException {
    try (Connection c = TestServers.connect(db);
        PreparedStatement s = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
      s.setInt(1, userId);
      s.setInt(2, channelId);
      s.setString(3, content);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  void sql(String sql, Object... params) throws SQLException {
    try (Connection c = TestServers.connect(db);
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.execute();
    }
  }

  HttpResponse<String> post(Gateway gateway, String path, String token, String body)
      throws Exception {
    return send(gateway, "POST", path, token, body);
  }

  HttpResponse<String> get(Gateway gateway, String path, String token) throws Exception {
    return send(gateway, "GET", path, token, null);
  }

  HttpResponse<String> send(Gateway gateway, String method, String path, String token, String body)
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
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Override
  public void close() {
    bridge.close();
    http.close();
  }
}
