package dev.zgres.bridge.testing;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.testing.TestServers.PostgresEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Starts bridges against test servers, with a free metrics port. */
public final class Bridges {
  private Bridges() {}

  public static Bridge start(PostgresEndpoint db, String kafka, Map<String, String> settings)
      throws SQLException {
    Map<String, String> values = new HashMap<>();
    values.put("ZGRES_PG_URL", db.jdbcUrl());
    values.put("ZGRES_PG_USER", db.user());
    values.put("ZGRES_PG_PASSWORD", db.password());
    values.put("ZGRES_KAFKA_BOOTSTRAP", kafka);
    values.put("ZGRES_METRICS_PORT", "0");
    values.put("ZGRES_PROBE_INTERVAL_MS", "500");
    values.putAll(settings);
    return Bridge.start(BridgeConfig.from(values));
  }

  /** GET on the bridge's metrics server; returns status and body. */
  public static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
