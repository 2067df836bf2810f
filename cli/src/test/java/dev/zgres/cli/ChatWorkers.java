package dev.zgres.cli;

import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the AI worker and moderator tests share: one embedding model per test JVM, settings that
 * route one test class's chat events to a topic of its own (so classes sharing the broker never
 * read each other's message ids), and small SQL helpers.
 */
final class ChatWorkers {
  private static OnnxTextEmbedder embedder;

  private ChatWorkers() {}

  static synchronized OnnxTextEmbedder embedder() {
    if (embedder == null) {
      embedder = OnnxTextEmbedder.load();
      System.out.printf(
          "model %s loaded in %d ms%n", embedder.modelName(), embedder.loadTime().toMillis());
    }
    return embedder;
  }

  /** Bridge settings that send chat_message_* to {@code topic}, keyed by channel id. */
  static Map<String, String> bridgeRoutes(String topic) {
    return Map.of(
        "ZGRES_CHANNELS", "chat_message_*", "ZGRES_ROUTES", "chat_message_*=" + topic + "|{*}");
  }

  /** Worker settings reading {@code topic}, with quick retries. */
  static TestSettings workerSettings(PgEndpoint db, String kafka, String topic) {
    return TestSettings.of(db, kafka)
        .with("ZGRES_CHAT_TOPIC", topic)
        .with("ZGRES_RETRY_BACKOFF_MS", "50")
        .with("ZGRES_RETRY_MAX_BACKOFF_MS", "500")
        .with("ZGRES_SHUTDOWN_TIMEOUT_MS", "5000");
  }

  static Object value(Connection c, String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = rows(c, sql, params);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }

  static List<Map<String, Object>> rows(Connection c, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          out.add(row);
        }
        return out;
      }
    }
  }

  static int user(Connection c, String name) throws SQLException {
    return ((Number)
            value(
                c,
                "SELECT chat.register_user(?, 'correct horse battery', ?)",
                name,
                name + "@example.org"))
        .intValue();
  }

  static int channel(Connection c, int owner, String name, String type) throws SQLException {
    return ((Number) value(c, "SELECT chat.create_channel(?, ?, ?, NULL)", owner, name, type))
        .intValue();
  }

  static long post(Connection c, int user, int channel, String text) throws SQLException {
    return ((Number) value(c, "SELECT chat.post_message(?, ?, ?)", user, channel, text))
        .longValue();
  }

  /** The assistant's replies to {@code question} in the database. */
  static long replies(Connection c, long question) throws SQLException {
    return ((Number)
            value(
                c,
                "SELECT count(*) FROM chat.messages WHERE message_type = 'ai_suggestion' "
                    + "AND (metadata->>'in_reply_to')::bigint = ?",
                question))
        .longValue();
  }
}
