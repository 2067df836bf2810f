package dev.zgres.runtime.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was opened, in reverse order of opening, once. A component registers each part as it
 * starts it; if a later part fails to start, closing the closer releases the earlier ones, so a
 * failed start leaks nothing. A part that fails to close is logged and the others are still closed.
 */
public final class Closer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Closer.class);
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Registers {@code part} to be closed before everything registered earlier; returns it. */
  public synchronized <T extends AutoCloseable> T register(T part) {
    if (closed.get()) {
      throw new IllegalStateException("closer already closed");
    }
    parts.push(part);
    return part;
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      AutoCloseable part;
      synchronized (this) {
        part = parts.poll();
      }
      if (part == null) {
        break;
      }
      try {
        part.close();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (Exception e) {
        LOG.warn("closing {} failed; closing the rest", part, e);
      }
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
