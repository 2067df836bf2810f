package dev.zgres.cli;

import dev.zgres.runtime.lifecycle.OwnedThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo writer: one connection and one named thread that calls {@link #write} every so often until
 * closed. A failed write is logged and the loop carries on.
 */
abstract class PeriodicWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicWriter.class);

  protected final Connection connection;
  private final Duration every;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String name;
  private final OwnedThread thread;

  PeriodicWriter(String threadName, Connection connection, Duration every) {
    this.connection = connection;
    this.every = every;
    this.name = threadName;
    this.thread = new OwnedThread(threadName, this::run);
  }

  /** Writes round {@code n} (0, 1, 2, ...). */
  protected abstract void write(int n) throws SQLException;

  /** Starts the loop; subclasses call it once their own fields are set. */
  protected final void start() {
    thread.start();
  }

  private void run() {
    int n = 0;
    while (running.get()) {
      try {
        write(n++);
      } catch (SQLException e) {
        LOG.warn("{}: write failed: {}", name, e.getMessage());
      }
      try {
        // After a failure too: a lost connection must not turn the loop into a busy one.
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    thread.stop(Duration.ZERO, Duration.ofSeconds(5));
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("{}: closing its connection", name, e);
    }
  }
}
