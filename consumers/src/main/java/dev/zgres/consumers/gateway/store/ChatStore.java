package dev.zgres.consumers.gateway.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The gateway's access to the chat database: every call goes through one {@code chat.*} SQL
 * function with bound parameters, acting as the user the caller authenticated. SQL errors are
 * passed on; {@link SqlOutcome} classifies them in one place.
 */
public final class ChatStore implements AutoCloseable {
  private static final String INVALID_PASSWORD = "28P01";
  private final HikariDataSource pool;
  private final ObjectMapper json;

  public ChatStore(PgEndpoint db, int poolSize, ObjectMapper json) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("zgres-gateway-db");
    config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    config.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(config);
    this.json = json;
  }

  /** The user's id when the password is right; empty for an unknown user or a wrong password. */
  public OptionalInt login(String username, String password) throws SQLException {
    try {
      return OptionalInt.of(value(Integer.class, "SELECT chat.login(?, ?)", username, password));
    } catch (SQLException e) {
      if (INVALID_PASSWORD.equals(e.getSQLState())) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  public int register(String username, String password, String email) throws SQLException {
    return value(Integer.class, "SELECT chat.register_user(?, ?, ?)", username, password, email);
  }

  /** {@code ok}, {@code forbidden} or {@code not_found}. */
  public String readAccess(int userId, int channelId) throws SQLException {
    return value(String.class, "SELECT chat.read_access(?, ?)", userId, channelId);
  }

  public long postMessage(int userId, int channelId, String content) throws SQLException {
    return value(Long.class, "SELECT chat.post_message(?, ?, ?)", userId, channelId, content);
  }

  public void typing(int userId, int channelId, boolean isTyping) throws SQLException {
    run("SELECT chat.handle_typing_indicator(?, ?, ?)", channelId, userId, isTyping);
  }

  public List<Map<String, Object>> myChannels(int userId) throws SQLException {
    return rows("SELECT * FROM chat.get_my_channels(?)", userId);
  }

  public int createChannel(int ownerId, String name, String type, Integer[] members)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      Array array = c.createArrayOf("integer", members == null ? new Integer[0] : members);
      return value(
          c, Integer.class, "SELECT chat.create_channel(?, ?, ?, ?)", ownerId, name, type, array);
    }
  }

  public void joinChannel(int userId, int channelId) throws SQLException {
    run("SELECT chat.join_channel(?, ?)", userId, channelId);
  }

  public boolean leaveChannel(int userId, int channelId) throws SQLException {
    return value(Boolean.class, "SELECT chat.leave_channel(?, ?)", userId, channelId);
  }

  public void removeMember(int actorId, int channelId, int userId) throws SQLException {
    run("SELECT chat.remove_member(?, ?, ?)", actorId, channelId, userId);
  }

  public List<Map<String, Object>> history(int userId, int channelId, Long beforeId, int limit)
      throws SQLException {
    return rows("SELECT * FROM chat.get_history(?, ?, ?, ?)", userId, channelId, beforeId, limit);
  }

  public List<Map<String, Object>> suggestions(int userId, int channelId, int limit)
      throws SQLException {
    return rows("SELECT * FROM chat.get_reply_suggestions(?, ?, ?)", userId, channelId, limit);
  }

  public List<Map<String, Object>> unread(int userId) throws SQLException {
    return rows("SELECT * FROM chat.get_new_messages(?)", userId);
  }

  public List<Map<String, Object>> friends(int userId) throws SQLException {
    return rows("SELECT * FROM chat.get_friends(?)", userId);
  }

  public void setFriends(int userId, Integer[] friendIds) throws SQLException {
    try (Connection c = pool.getConnection()) {
      Array array = c.createArrayOf("integer", friendIds);
      try (PreparedStatement s = prepare(c, "SELECT chat.set_friends(?, ?)", userId, array)) {
        s.execute();
      }
    }
  }

  public void setFriendsOnly(int userId, boolean flag) throws SQLException {
    run("SELECT chat.set_friends_only(?, ?)", userId, flag);
  }

  /** Sends a direct message; returns the message id and its channel id. */
  public long[] sendDirect(int senderId, int receiverId, String body) throws SQLException {
    long messageId =
        value(Long.class, "SELECT chat.send_direct_message(?, ?, ?)", senderId, receiverId, body);
    int channelId = value(Integer.class, "SELECT chat.message_channel_id(?)", messageId);
    return new long[] {messageId, channelId};
  }

  public void presenceConnect(String gatewayId, int userId, Duration ttl) throws SQLException {
    run(
        "SELECT chat.presence_connect(?, ?, make_interval(secs => ?))",
        gatewayId,
        userId,
        ttl.toMillis() / 1000.0);
  }

  public void presenceDisconnect(String gatewayId, int userId) throws SQLException {
    run("SELECT chat.presence_disconnect(?, ?)", gatewayId, userId);
  }

  public int presenceRenew(String gatewayId, Duration ttl) throws SQLException {
    return value(
        Integer.class,
        "SELECT chat.presence_renew(?, make_interval(secs => ?))",
        gatewayId,
        ttl.toMillis() / 1000.0);
  }

  /** Work done on one pooled connection. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Runs {@code work} on a connection from the pool. */
  public <T> T withConnection(ConnectionWork<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return work.apply(c);
    }
  }

  /** Whether the database answers now (for /health). */
  public boolean reachable() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private <T> T value(Class<T> type, String sql, Object... params) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return value(c, type, sql, params);
    }
  }

  private static <T> T value(Connection c, Class<T> type, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getObject(1, type) : null;
    }
  }

  private void run(String sql, Object... params) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = prepare(c, sql, params)) {
      s.execute();
    }
  }

  private List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = prepare(c, sql, params);
        ResultSet rs = s.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), column(rs, meta, i));
        }
        out.add(row);
      }
      return out;
    }
  }

  private Object column(ResultSet rs, ResultSetMetaData meta, int i) throws SQLException {
    String typeName = meta.getColumnTypeName(i);
    if (meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equals(typeName)) {
      OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
      return t == null ? null : t.toInstant().toString();
    }
    if ("jsonb".equals(typeName) || "json".equals(typeName)) {
      String text = rs.getString(i);
      try {
        return text == null ? null : json.readTree(text);
      } catch (IOException e) {
        return text;
      }
    }
    return rs.getObject(i);
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      if (params[i] == null) {
        s.setNull(i + 1, Types.BIGINT);
      } else {
        s.setObject(i + 1, params[i]);
      }
    }
    return s;
  }

  @Override
  public void close() {
    pool.close();
  }
}
