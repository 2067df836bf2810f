package dev.zgres.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For a command that ends by itself (replay, backfill): on SIGTERM or Ctrl-C, asks it to stop, then
 * holds the JVM's shutdown until the command has finished what it had in hand and printed its
 * summary (at most {@code grace}). Only the launcher registers shutdown hooks.
 */
final class StopOnSignal implements AutoCloseable {
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  StopOnSignal(String name, Runnable stop, long graceSeconds) {
    hook =
        new Thread(
            () -> {
              stop.run();
              try {
                finished.await(graceSeconds, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "zgres-" + name + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command finished (its summary is out): a pending shutdown may go on. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is waiting for us, and now goes on
    }
  }
}
