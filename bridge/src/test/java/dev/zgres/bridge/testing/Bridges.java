package dev.zgres.bridge.testing;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Map;

/** Starts bridges against test servers, with a free metrics port. */
public final class Bridges {
  private Bridges() {}

  public static Bridge start(PgEndpoint db, String kafka, Map<String, String> settings)
      throws SQLException {
    return Bridge.start(
        BridgeConfig.from(
            TestSettings.of(db, kafka)
                .with("ZGRES_PROBE_INTERVAL_MS", "500")
                .with(settings)
                .toMap()));
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
