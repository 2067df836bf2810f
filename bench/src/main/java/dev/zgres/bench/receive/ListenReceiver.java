package dev.zgres.bench.receive;

import dev.zgres.bench.measure.LatencyMatcher;
import dev.zgres.bench.servers.BenchServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Baseline B1's consumer: a plain pgjdbc connection LISTENing on one channel, blocking in {@link
 * PGConnection#getNotifications(int)} so a notification is taken the moment it arrives.
 */
public final class ListenReceiver implements EventReceiver {
  private final Connection connection;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder strays = new LongAdder();
  private final Thread thread;
  private volatile LatencyMatcher matcher;
  private volatile Exception failure;

  public ListenReceiver(BenchServers servers, String channel) throws SQLException {
    connection = servers.connect("zgres-bench-listen");
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + channel);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    thread = new Thread(this::run, "zgres-bench-listen");
    thread.start();
  }

  private void run() {
    try {
      PGConnection pg = connection.unwrap(PGConnection.class);
      while (running.get()) {
        PGNotification[] batch = pg.getNotifications(100);
        long now = System.nanoTime();
        if (batch == null) {
          continue;
        }
        LatencyMatcher m = matcher;
        for (PGNotification n : batch) {
          long id = PayloadIds.extract(n.getParameter());
          if (m == null || id < 0) {
            strays.increment();
          } else {
            m.received(id, now);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (running.get()) {
        failure = e;
        System.err.println("zgres bench: the LISTEN receiver stopped: " + e);
      }
    }
  }

  @Override
  public void attach(LatencyMatcher matcher) {
    if (failure != null) {
      throw new IllegalStateException("the LISTEN receiver has failed", failure);
    }
    this.matcher = matcher;
  }

  @Override
  public long strays() {
    return strays.sum();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }
}
