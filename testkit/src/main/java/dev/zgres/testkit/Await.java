package dev.zgres.testkit;

import java.time.Duration;

/** Waits for a condition with a deadline, polling; never a bare sleep in a test. */
public final class Await {
  private Await() {}

  /** A condition a test waits for; it may throw (a failed query counts as a failure). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Polls {@code condition} every 20 ms until it holds; fails naming {@code what} when {@code
   * timeout} passes first. An exception or assertion error from the condition fails at once.
   */
  public static void until(String what, Duration timeout, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!condition.holds()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("failed waiting for " + what + ": " + e, e);
    }
  }
}
