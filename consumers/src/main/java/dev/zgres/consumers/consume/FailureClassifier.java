package dev.zgres.consumers.consume;

import dev.zgres.runtime.postgres.ConnectionErrors;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Turns what a handler threw into an {@link Outcome}, in one place: a lost or refused PostgreSQL
 * connection (SQLState class {@code 08}, {@code 57P0x}), a transient SQL error (serialization
 * failure {@code 40001}, deadlock {@code 40P01}) or a retriable Kafka error is worth retrying;
 * anything else is a fault of the record and dead-letters it.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  public static Outcome classify(Throwable error) {
    String reason = describe(error);
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RetriableException || t instanceof SQLTransientException) {
        return Outcome.retryLater(reason);
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (ConnectionErrors.isConnectionError(sql)
            || "40001".equals(state)
            || "40P01".equals(state)) {
          return Outcome.retryLater(reason);
        }
      }
    }
    return Outcome.deadLetter(reason);
  }

  static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return e.getClass().getSimpleName() + message;
  }
}
