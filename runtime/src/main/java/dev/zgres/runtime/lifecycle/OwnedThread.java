package dev.zgres.runtime.lifecycle;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named thread that the component creating it also stops. Stopping is bounded: the owner first
 * tells its loop to end (a flag), then {@link #stop} waits for it, interrupts it if it is still
 * running, and waits a little more; a thread still alive after that is logged. The caller's
 * interrupt flag survives.
 */
public final class OwnedThread {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedThread.class);
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

  public boolean alive() {
    return thread.isAlive();
  }

  /**
   * Waits up to {@code grace} for the thread to end by itself (zero: not at all), then interrupts
   * it and waits up to {@code afterInterrupt}.
   *
   * @return whether the thread has ended
   */
  public boolean stop(Duration grace, Duration afterInterrupt) {
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
    if (thread.isAlive()) {
      LOG.warn(
          "thread {} still running {} ms after it was asked to stop; leaving it",
          thread.getName(),
          grace.plus(afterInterrupt).toMillis());
      return false;
    }
    return true;
  }
}
