package dev.zgres.consumers.search;

import dev.zgres.consumers.embed.TextEmbedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantic search over chat messages for one user: the query is embedded by the same model as the
 * messages, and {@code chat.search_messages_by_embedding} ranks by cosine similarity, returning
 * only messages from channels the user may read. The library call behind {@code bin/zgres search}
 * and the gateway's search endpoint.
 */
public final class SemanticSearch {
  private final TextEmbedder embedder;

  public SemanticSearch(TextEmbedder embedder) {
    this.embedder = embedder;
  }

  /** One message found, with its cosine similarity to the query. */
  public record Hit(
      long messageId,
      int channelId,
      Integer userId,
      String username,
      String content,
      double similarity,
      OffsetDateTime createdAt) {}

  /**
   * The {@code limit} (1 to 100) messages most similar to {@code query} that {@code userId} may
   * read, in {@code channelId} only when it is not null (which the user must be allowed to read).
   */
  public List<Hit> search(
      Connection connection, int userId, String query, Integer channelId, int limit)
      throws SQLException {
    float[] vector = embedder.embed(query);
    Float[] boxed = new Float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      boxed[i] = vector[i];
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT message_id, channel_id, user_id, username, content, similarity, created_at "
                + "FROM chat.search_messages_by_embedding(?, ?, ?, ?)")) {
      s.setInt(1, userId);
      s.setArray(2, connection.createArrayOf("real", boxed));
      if (channelId == null) {
        s.setNull(3, Types.INTEGER);
      } else {
        s.setInt(3, channelId);
      }
      s.setInt(4, limit);
      List<Hit> hits = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int user = rs.getInt(3);
          hits.add(
              new Hit(
                  rs.getLong(1),
                  rs.getInt(2),
                  rs.wasNull() ? null : user,
                  rs.getString(4),
                  rs.getString(5),
                  rs.getDouble(6),
                  rs.getObject(7, OffsetDateTime.class)));
        }
      }
      return hits;
    }
  }
}
