package dev.zgres.bridge.lifecycle;

import java.time.Duration;

/**
 * A named thread that the component creating it also stops. Stopping is bounded: the owner first
 * tells its loop to end (a flag), then {@link #stop} waits for it, interrupts it if it is still
 * running, and waits a little more; the caller's interrupt flag survives.
 */
public final class OwnedThread {
  private final Thread thread;

  public OwnedThread(String name, Runnable body) {
    this.thread = new Thread(body, name);
  }

  /** Marks the thread as a daemon, so that it never holds the JVM open; call before start. */
  public OwnedThread daemon() {
    thread.setDaemon(true);
    return this;
  }

  public void start() {
    thread.start();
  }

  /**
   * Waits up to {@code grace} for the thread to end by itself (zero: not at all), then interrupts
   * it and waits up to {@code afterInterrupt}.
   */
  public void stop(Duration grace, Duration afterInterrupt) {
    try {
      if (!grace.isZero()) {
        thread.join(grace.toMillis());
      }
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(afterInterrupt.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
