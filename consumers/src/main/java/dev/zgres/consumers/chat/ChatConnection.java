package dev.zgres.consumers.chat;

import dev.zgres.runtime.postgres.ConnectionErrors;
import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker thread's connection to the chat database, opened on first use and opened again after
 * it broke: {@link #forget(SQLException)} drops it when the error says the connection is gone, so
 * that the consumer loop's retry of the record gets a fresh one. Not thread-safe: one per thread.
 */
public final class ChatConnection implements AutoCloseable {
  private static final int NETWORK_TIMEOUT_MS = 30_000;
  private final PgEndpoint endpoint;
  private final String application;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Connection connection;
  private long opened;

  public ChatConnection(PgEndpoint endpoint, String application) {
    this.endpoint = endpoint;
    this.application = application;
  }

  /** The open connection, opened now when there is none. */
  public Connection get() throws SQLException {
    if (closed.get()) {
      throw new SQLException("connection closed", "08003");
    }
    if (connection == null) {
      connection = PgConnections.open(endpoint, application, NETWORK_TIMEOUT_MS);
      opened++;
    }
    return connection;
  }

  /** How many times a connection was opened (1 while it never broke). */
  public long generation() {
    return opened;
  }

  /** Drops the connection when {@code error} means it is lost; returns the error for rethrow. */
  public SQLException forget(SQLException error) {
    if (ConnectionErrors.isConnectionError(error)) {
      closeQuietly();
    }
    return error;
  }

  @Override
  public void close() {
    if (!closed.getAndSet(true)) {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken; nothing more to release.
      }
      connection = null;
    }
  }
}
