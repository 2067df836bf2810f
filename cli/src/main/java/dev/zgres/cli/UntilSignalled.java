package dev.zgres.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a long-running command alive until SIGTERM or Ctrl-C, then closes it and exits with status
 * 0: a clean stop is not a failure. Only the launcher registers shutdown hooks.
 */
final class UntilSignalled {
  private final AtomicInteger status = new AtomicInteger(0);
  private final CountDownLatch closedByHook = new CountDownLatch(1);

  private UntilSignalled(AutoCloseable component) {
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
  }

  /** Closes {@code component} on a signal, and waits for that. */
  static int run(AutoCloseable component) {
    return guard(component).await();
  }

  /**
   * Closes {@code component} on a signal from now on: a command that starts several parts guards
   * its closer before starting them, so that Ctrl-C in the middle of the start closes what has
   * started so far, in order, instead of leaving it to the JVM.
   */
  static UntilSignalled guard(AutoCloseable component) {
    return new UntilSignalled(component);
  }

  /** Waits until a signal closed the component; returns the exit status. */
  int await() {
    try {
      closedByHook.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status.get();
  }
}
