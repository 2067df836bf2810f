package dev.zgres.consumers.moderation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The moderator's call to the chat SQL API, on one connection the caller owns. */
public final class ModerationStore {
  private final Connection connection;

  public ModerationStore(Connection connection) {
    this.connection = connection;
  }

  /**
   * Flags the message with {@code chat.flag_message}: a moderation case, metadata, and a {@code
   * message_moderated} event on the message's channel. Returns the case id.
   */
  public long flag(long messageId, Verdict verdict) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.flag_message(?, ?, ?, ?)")) {
      s.setLong(1, messageId);
      s.setString(2, verdict.level().sqlName());
      s.setArray(3, connection.createArrayOf("text", verdict.reasons().toArray()));
      s.setString(4, "none".equals(verdict.category()) ? null : verdict.category());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
