package dev.zgres.cli;

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
  private final Thread thread;

  PeriodicWriter(String threadName, Connection connection, Duration every) {
    this.connection = connection;
    this.every = every;
    this.thread = new Thread(this::run, threadName);
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
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException e) {
        LOG.warn("{}: write failed: {}", thread.getName(), e.getMessage());
      }
    }
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    thread.interrupt();
    thread.join(5_000);
    connection.close();
  }
}
