package dev.zgres.cli;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Seeds a small chat through the chat SQL API (three simulated users and two {@link #VISITORS} for
 * the chat page, a public and a private channel) and keeps it talking every two seconds: messages
 * (some asking @ai for help), typing indicators, reactions and presence, all of which reach Kafka
 * through zgres.emit and the bridge.
 */
final class ChatDemoWriter extends PeriodicWriter {
  private static final String[] LINES = {
    "good morning everyone",
    "@ai help: how do I reset my password?",
    "shipping the release today",
    "urgent: the build is red, can someone help?",
    "lunch at noon?",
    "nice work on the demo 🎉",
    "to reset your password open the account page and click 'forgot password'",
    "FREE crypto!!! send 0.1 BTC to my wallet and get 1 BTC back, guaranteed"
  };

  /** The logins the demo prints for the chat page: members of both channels, never simulated. */
  static final List<String> VISITORS = List.of("dana", "erin");

  static String password(String name) {
    return name + "-demo-password";
  }

  private final int[] users = new int[3];
  private final int general;
  private final int team;

  ChatDemoWriter(String jdbcUrl, String user, String password) throws SQLException {
    super(
        "zgres-demo-chat",
        DriverManager.getConnection(jdbcUrl, user, password),
        Duration.ofSeconds(2));
    String[] names = {"alice", "bob", "carol"};
    for (int i = 0; i < names.length; i++) {
      users[i] = register(names[i]);
    }
    int dana = register(VISITORS.get(0));
    int erin = register(VISITORS.get(1));
    general =
        intValue(
            "SELECT chat.create_channel(?, 'general', 'public', ?)",
            users[0],
            array(users[1], users[2], dana, erin));
    team =
        intValue(
            "SELECT chat.create_channel(?, 'team', 'private', ?)",
            users[0],
            array(users[1], dana, erin));
    start();
  }

  @Override
  protected void write(int n) throws SQLException {
    int author = users[n % users.length];
    int channel = n % 3 == 2 ? team : general;
    if (channel == team && author == users[2]) {
      author = users[1];
    }
    execute("SELECT chat.handle_typing_indicator(?, ?, true)", channel, author);
    long message =
        longValue("SELECT chat.post_message(?, ?, ?)", author, channel, LINES[n % LINES.length]);
    execute("SELECT chat.handle_typing_indicator(?, ?, false)", channel, author);
    if (n % 4 == 1) {
      execute("SELECT chat.add_reaction(?, ?, '👍')", users[(n + 1) % users.length], message);
    }
    if (n % 5 == 4) {
      execute(
          "SELECT chat.set_presence(?, ?)",
          users[n % users.length],
          n % 10 == 4 ? "away" : "online");
    }
  }

  private int register(String name) throws SQLException {
    return intValue(
        "SELECT chat.register_user(?, ?, ?)", name, password(name), name + "@example.org");
  }

  private Object array(int... ids) throws SQLException {
    Integer[] boxed = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boxed[i] = ids[i];
    }
    return connection.createArrayOf("integer", boxed);
  }

  private int intValue(String sql, Object... params) throws SQLException {
    return (int) longValue(sql, params);
  }

  private long longValue(String sql, Object... params) throws SQLException {
    try (PreparedStatement p = prepare(sql, params);
        ResultSet rs = p.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String sql, Object... params) throws SQLException {
    try (PreparedStatement p = prepare(sql, params)) {
      p.execute();
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement p = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      p.setObject(i + 1, params[i]);
    }
    return p;
  }
}
