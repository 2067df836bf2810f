package dev.zgres.consumers.gateway.store;

import dev.zgres.runtime.postgres.ConnectionErrors;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/**
 * What a refused chat SQL call means to a client, decided in one place from its SQLSTATE: the HTTP
 * status, the {@code error} frame code, and a message safe to show (the function's own message,
 * which names the rule; never a stack trace). Connection failures are {@code unavailable}.
 */
public record SqlOutcome(int httpStatus, String code, String message) {

  public static SqlOutcome of(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message =
        e instanceof PSQLException p && p.getServerErrorMessage() != null
            ? p.getServerErrorMessage().getMessage()
            : null;
    if (ConnectionErrors.isConnectionError(e) || message == null) {
      return new SqlOutcome(503, "unavailable", "the database is unavailable; retry later");
    }
    return switch (state) {
      case "42501" -> new SqlOutcome(403, "forbidden", message);
      case "P0002" -> new SqlOutcome(404, "not_found", message);
      case "23505" -> new SqlOutcome(409, "conflict", message);
      case "28P01" -> new SqlOutcome(401, "unauthorized", message);
      case "55000" -> new SqlOutcome(409, "conflict", message);
      default ->
          state.startsWith("22") || state.startsWith("23")
              ? new SqlOutcome(400, "invalid", message)
              : new SqlOutcome(500, "internal", "the request failed");
    };
  }
}
