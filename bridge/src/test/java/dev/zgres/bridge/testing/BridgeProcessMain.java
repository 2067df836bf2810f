package dev.zgres.bridge.testing;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import java.util.concurrent.CountDownLatch;

/**
 * A bridge in a process of its own, configured from {@code ZGRES_*} environment variables, for
 * tests that kill it for real ({@link Process#destroyForcibly()}: no shutdown hook, no flush). The
 * launcher lives in the cli module, which depends on this one, hence this small stand-in.
 */
public final class BridgeProcessMain {
  private BridgeProcessMain() {}

  public static void main(String[] args) throws Exception {
    Bridge bridge = Bridge.start(BridgeConfig.from(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "zgres-shutdown"));
    System.out.println("zgres bridge process ready, metrics on port " + bridge.metricsPort());
    new CountDownLatch(1).await();
  }
}
