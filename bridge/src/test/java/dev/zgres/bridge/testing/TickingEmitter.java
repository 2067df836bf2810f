package dev.zgres.bridge.testing;

import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Emits {@code {"n":<i>}} on one channel every few milliseconds until closed, remembering when each
 * was committed ({@link System#nanoTime()}), so a test can tell what was written after a given
 * moment.
 */
public final class TickingEmitter implements AutoCloseable {
  private final Map<Integer, Long> committedAt = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile Exception failure;

  public TickingEmitter(PgEndpoint db, String channel, String transport, long everyMillis) {
    thread =
        Thread.ofPlatform()
            .name("ticking-emitter")
            .start(() -> run(db, channel, transport, everyMillis));
  }

  private void run(PgEndpoint db, String channel, String transport, long everyMillis) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        PreparedStatement emit = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
      s.execute("SET zgres.transport = '" + transport + "'");
      for (int n = 1; running.get(); n++) {
        emit.setString(1, channel);
        emit.setString(2, "{\"n\":" + n + "}");
        emit.execute();
        committedAt.put(n, System.nanoTime());
        Thread.sleep(everyMillis);
      }
    } catch (SQLException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** When event {@code n} committed, or null if it has not. */
  public Long committedAt(int n) {
    return committedAt.get(n);
  }

  public int count() {
    return committedAt.size();
  }

  public Exception failure() {
    return failure;
  }

  /** Stops emitting; once it returns, {@link #count()} is final. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
