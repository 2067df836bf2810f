package dev.zgres.bench.child;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The gateway as the fan-out cell runs it: a JVM of its own, so its CPU time and RSS are read from
 * {@code /proc} apart from the 5,000 clients'. Configured from {@code ZGRES_PG_URL}, {@code
 * ZGRES_PG_USER}, {@code ZGRES_PG_PASSWORD}, {@code ZGRES_KAFKA_BOOTSTRAP} and {@code
 * ZGRES_GATEWAY_SECRET}; prints {@code READY <port>} and runs until its stdin closes.
 */
public final class GatewayChildMain {
  private GatewayChildMain() {}

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
            GatewayConfig.Tuning.defaults());
    Gateway gateway;
    try {
      gateway = Gateway.start(config);
    } catch (Exception e) {
      System.out.println("FAILED " + e.toString().replace('\n', ' '));
      System.out.flush();
      System.exit(2);
      return;
    }
    System.out.println("READY " + gateway.port());
    System.out.flush();
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // runs until the parent closes our stdin
      }
    } catch (IOException e) {
      // the parent is gone
    }
    gateway.close();
    System.exit(0);
  }
}
