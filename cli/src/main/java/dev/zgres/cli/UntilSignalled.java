package dev.zgres.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a long-running command alive until SIGTERM or Ctrl-C, then closes it and exits with status
 * 0: a clean stop is not a failure. Only the launcher registers shutdown hooks.
 */
final class UntilSignalled {
  private UntilSignalled() {}

  static int run(AutoCloseable component) {
    AtomicInteger status = new AtomicInteger(0);
    CountDownLatch closedByHook = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    component.close();
                  } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                    status.set(1);
                  }
                  closedByHook.countDown();
                  // The JVM would report 143 for SIGTERM; a clean stop exits 0.
                  Runtime.getRuntime().halt(status.get());
                },
                "zgres-shutdown"));
    try {
      closedByHook.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status.get();
  }
}
