package dev.zgres.bench.child;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bridge as the benchmark runs it: a JVM of its own, so that its CPU time and RSS can be read
 * from {@code /proc} apart from the load generator's. Configured by the same {@code ZGRES_*}
 * environment variables as {@code bin/zgres bridge}. It prints one status line on stdout ({@value
 * #READY} with the metrics port, {@value #UNSUPPORTED} or {@value #FAILED} with the reason) and
 * runs until its stdin closes or it gets SIGTERM, then closes the bridge (draining into Kafka).
 */
public final class BridgeChildMain {
  static final String READY = "READY";
  static final String UNSUPPORTED = "UNSUPPORTED";
  static final String FAILED = "FAILED";

  private BridgeChildMain() {}

  public static void main(String[] args) {
    Map<String, String> settings = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("ZGRES_")) {
                settings.put(k, v);
              }
            });
    Bridge bridge;
    try {
      bridge = Bridge.start(BridgeConfig.from(settings));
    } catch (UnsupportedOperationException e) {
      System.out.println(UNSUPPORTED + " " + e.getMessage());
      System.out.flush();
      System.exit(3);
      return;
    } catch (Exception e) {
      System.out.println(FAILED + " " + e.toString().replace('\n', ' '));
      System.out.flush();
      System.exit(2);
      return;
    }
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (!stopped.getAndSet(true)) {
            bridge.close();
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "zgres-bench-bridge-shutdown"));
    System.out.println(READY + " " + bridge.metricsPort());
    System.out.flush();
    awaitEndOfInput(System.in);
    stop.run();
    System.exit(0);
  }

  private static void awaitEndOfInput(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent writes nothing; end of input means it wants us gone (or has died).
      }
    } catch (IOException e) {
      // The pipe broke: the parent is gone.
    }
  }
}
