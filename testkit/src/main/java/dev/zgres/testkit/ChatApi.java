package dev.zgres.testkit;

import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.util.PSQLException;

/**
 * A test's connection to the chat SQL API: each method calls one {@code chat.*} function with bound
 * parameters, as the gateway does. Auto-commit is on unless a test turns it off.
 */
public final class ChatApi implements AutoCloseable {
  public static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Connection connection;

  private ChatApi(Connection connection) {
    this.connection = connection;
  }

  public static ChatApi connect(PgEndpoint db) throws SQLException {
    return new ChatApi(TestServers.connect(db));
  }

  public Connection connection() {
    return connection;
  }

  /** A username no other test in this JVM uses: {@code prefix_<n>}. */
  public static String uniqueUsername(String prefix) {
    return prefix + "_" + NAMES.incrementAndGet();
  }

  /** Registers a user with a unique name and {@link #PASSWORD}; returns its id. */
  public int newUser(String prefix) throws SQLException {
    String name = uniqueUsername(prefix);
    return registerUser(name, PASSWORD, name + "@example.org");
  }

  public int registerUser(String username, String password, String email) throws SQLException {
    return value(Integer.class, "SELECT chat.register_user(?, ?, ?)", username, password, email);
  }

  public int login(String username, String password) throws SQLException {
    return value(Integer.class, "SELECT chat.login(?, ?)", username, password);
  }

  public void setFriends(int userId, Integer... friendIds) throws SQLException {
    run("SELECT chat.set_friends(?, ?)", userId, intArray(friendIds));
  }

  public void setFriendsOnly(int userId, boolean flag) throws SQLException {
    run("SELECT chat.set_friends_only(?, ?)", userId, flag);
  }

  public int createChannel(int ownerId, String name, String type, Integer... memberIds)
      throws SQLException {
    return value(
        Integer.class,
        "SELECT chat.create_channel(?, ?, ?, ?)",
        ownerId,
        name,
        type,
        intArray(memberIds));
  }

  public long postMessage(int userId, int channelId, String content) throws SQLException {
    return value(Long.class, "SELECT chat.post_message(?, ?, ?)", userId, channelId, content);
  }

  public long sendDirectMessage(int senderId, int receiverId, String body) throws SQLException {
    return value(
        Long.class, "SELECT chat.send_direct_message(?, ?, ?)", senderId, receiverId, body);
  }

  public List<Map<String, Object>> newMessages(int userId) throws SQLException {
    return rows("SELECT * FROM chat.get_new_messages(?)", userId);
  }

  public Array intArray(Integer... values) throws SQLException {
    return values == null ? null : connection.createArrayOf("integer", values);
  }

  public Array textArray(String... values) throws SQLException {
    return values == null ? null : connection.createArrayOf("text", values);
  }

  public Array realArray(float... values) throws SQLException {
    if (values == null) {
      return null;
    }
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return connection.createArrayOf("real", boxed);
  }

  /** The first column of the first row, or null when there is no row. */
  public <T> T value(Class<T> type, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(sql, params);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getObject(1, type) : null;
    }
  }

  public List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(sql, params);
        ResultSet rs = s.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  public void run(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(sql, params)) {
      s.execute();
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement s = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  /**
   * What PostgreSQL answered to a refused call: SQLSTATE and the primary message, without context.
   */
  public record Failure(String sqlState, String message) {}

  public interface SqlCall {
    void run() throws SQLException;
  }

  /** Runs a call that must fail with an SQL error and returns that error. */
  public static Failure failure(SqlCall call) {
    try {
      call.run();
    } catch (PSQLException e) {
      String message =
          e.getServerErrorMessage() == null
              ? e.getMessage()
              : e.getServerErrorMessage().getMessage();
      return new Failure(e.getSQLState(), message);
    } catch (SQLException e) {
      return new Failure(e.getSQLState(), e.getMessage());
    }
    throw new AssertionError("expected PostgreSQL to refuse the call, but it succeeded");
  }
}
