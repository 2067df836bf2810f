package dev.zgres.gateway;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.runtime.settings.PgEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A gateway in a child JVM for tests that kill it: configured from {@code ZGRES_*} variables,
 * prints {@code GATEWAY_PORT=<port>} once listening, runs until killed.
 */
public final class GatewayProcessMain {
  private GatewayProcessMain() {}

  public static void main(String[] args) throws Exception {
    GatewayConfig config =
        new GatewayConfig(
            0,
            System.getenv("ZGRES_GATEWAY_SECRET").getBytes(StandardCharsets.UTF_8),
            new PgEndpoint(
                System.getenv("ZGRES_PG_URL"),
                System.getenv("ZGRES_PG_USER"),
                System.getenv("ZGRES_PG_PASSWORD")),
            System.getenv("ZGRES_KAFKA_BOOTSTRAP"),
            GatewayConfig.Tuning.defaults()
                .withPresenceTtl(
                    Duration.ofMillis(Long.parseLong(System.getenv("TEST_PRESENCE_TTL_MS")))));
    Gateway gateway = Gateway.start(config);
    System.out.println("GATEWAY_PORT=" + gateway.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
