package dev.zgres.consumers.ai;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The AI worker's calls to the chat SQL API (V015, V016), on one connection the caller owns. Each
 * method is one statement in auto-commit, so a crash leaves nothing half-written.
 */
public final class AiStore {
  private final Connection connection;

  public AiStore(Connection connection) {
    this.connection = connection;
  }

  /** A request claimed with {@code chat.claim_ai_requests}. */
  public record ClaimedRequest(
      long requestId,
      long messageId,
      int channelId,
      int attempts,
      String username,
      String content,
      String channelName) {}

  /** Stores embedding, sentiment and importance; emits no event. */
  public void storeAnalysis(long messageId, float[] embedding, double sentiment, double importance)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.store_message_analysis(?, ?, ?, ?)")) {
      s.setLong(1, messageId);
      s.setArray(2, realArray(embedding));
      s.setFloat(3, (float) sentiment);
      s.setFloat(4, (float) importance);
      s.execute();
    }
  }

  /** Claims up to {@code n} pending (or abandoned) requests for {@code worker}. */
  public List<ClaimedRequest> claim(String worker, int n, Duration lease, int maxAttempts)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT request_id, message_id, channel_id, attempts, username, content, channel_name "
                + "FROM chat.claim_ai_requests(?, ?, make_interval(secs => ?), ?)")) {
      s.setString(1, worker);
      s.setInt(2, n);
      s.setDouble(3, lease.toMillis() / 1000.0);
      s.setInt(4, maxAttempts);
      List<ClaimedRequest> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ClaimedRequest(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getInt(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
      return out;
    }
  }

  /** Up to {@code limit} messages of the channel before {@code beforeId}, oldest first. */
  public List<HistoryMessage> history(int channelId, long beforeId, int limit) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT message_id, username, content, message_type, embedding "
                + "FROM chat.channel_history(?, ?, ?)")) {
      s.setInt(1, channelId);
      s.setLong(2, beforeId);
      s.setInt(3, limit);
      List<HistoryMessage> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(4);
          out.add(
              new HistoryMessage(
                  rs.getLong(1),
                  "ai_suggestion".equals(type) ? "assistant" : rs.getString(2),
                  rs.getString(3),
                  floats(rs.getArray(5)),
                  !"user".equals(type)));
        }
      }
      return out;
    }
  }

  /** Posts the reply and marks the request done; returns the reply's message id. */
  public long complete(long requestId, Reply reply, String worker) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.complete_ai_request(?, ?, ?, ?::jsonb)")) {
      s.setLong(1, requestId);
      s.setString(2, reply.text());
      s.setString(3, worker);
      s.setString(4, metadata(reply));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Gives a request back (or fails it after {@code maxAttempts}); returns its new status. */
  public String fail(long requestId, String error, String worker, int maxAttempts)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.fail_ai_request(?, ?, ?, ?)")) {
      s.setLong(1, requestId);
      s.setString(2, error);
      s.setString(3, worker);
      s.setInt(4, maxAttempts);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Whether {@code chat.summary_due} says the channel's summary should be renewed. */
  public boolean summaryDue(int channelId, int minMessages, Duration maxAge) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.summary_due(?, ?, make_interval(secs => ?))")) {
      s.setInt(1, channelId);
      s.setInt(2, minMessages);
      s.setDouble(3, maxAge.toMillis() / 1000.0);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  public void saveSummary(int channelId, Summary summary) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.save_conversation_summary(?, ?, ?, ?)")) {
      s.setInt(1, channelId);
      s.setString(2, summary.text());
      s.setArray(3, connection.createArrayOf("text", summary.keyPoints().toArray()));
      s.setArray(4, realArray(summary.embedding()));
      s.execute();
    }
  }

  public void saveSuggestions(int channelId, long messageId, List<Suggestion> suggestions)
      throws SQLException {
    Float[] confidences = new Float[suggestions.size()];
    for (int i = 0; i < confidences.length; i++) {
      confidences[i] = (float) suggestions.get(i).confidence();
    }
    try (PreparedStatement s =
        connection.prepareStatement("SELECT chat.save_reply_suggestions(?, ?, ?, ?)")) {
      s.setInt(1, channelId);
      s.setLong(2, messageId);
      s.setArray(
          3,
          connection.createArrayOf("text", suggestions.stream().map(Suggestion::text).toArray()));
      s.setArray(4, connection.createArrayOf("real", confidences));
      s.execute();
    }
  }

  private Array realArray(float[] values) throws SQLException {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return connection.createArrayOf("real", boxed);
  }

  static float[] floats(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object raw = array.getArray();
    if (raw instanceof Float[] boxed) {
      float[] out = new float[boxed.length];
      for (int i = 0; i < boxed.length; i++) {
        out[i] = boxed[i];
      }
      return out;
    }
    throw new SQLException("expected a real[] but got " + raw.getClass().getName());
  }

  private static String metadata(Reply reply) {
    var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("generator", reply.generator());
    if (reply.fallbackReason() != null) {
      node.put("fallback_reason", reply.fallbackReason());
    }
    return node.toString();
  }
}
