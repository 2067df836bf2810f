package dev.zgres.runtime.postgres;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Classifies PostgreSQL errors at a process's boundary, in one place: connection failures mean
 * reconnect (or retry), anything else is a fault in what we asked for.
 */
public final class ConnectionErrors {
  private ConnectionErrors() {}

  /**
   * SQLState class 08 (connection exception), 57P01..57P05 (admin shutdown, crash shutdown, cannot
   * connect now, database dropped, idle session timeout) or an I/O failure underneath.
   */
  public static boolean isConnectionError(SQLException e) {
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
      return true;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
