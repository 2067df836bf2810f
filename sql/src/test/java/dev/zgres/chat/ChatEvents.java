package dev.zgres.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL channels the way a bridge would and hands each payload back under the
 * channel it was emitted on: a payload relayed on {@code zgres_relay} ({@code
 * d:<channel>\n<payload>}) or spilled to {@code zgres.spill} ({@code s:<id>}) is unwrapped. Waits
 * end at a deadline.
 */
final class ChatEvents implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the payload travelled: straight on its channel, through the relay, or through the spill
   * table.
   */
  enum Path {
    DIRECT,
    RELAYED,
    SPILLED
  }

  record Event(String channel, String payload, Path path) {
    JsonNode json() {
      try {
        return JSON.readTree(payload);
      } catch (IOException e) {
        throw new UncheckedIOException("payload on " + channel + " is not JSON: " + payload, e);
      }
    }

    String event() {
      return json().path("event").asText();
    }
  }

  private final Connection connection;
  private final List<Event> received = new ArrayList<>();

  private ChatEvents(Connection connection) {
    this.connection = connection;
  }

  /**
   * Starts listening; zgres_relay is always included, since new chat channels arrive through it.
   */
  static ChatEvents listen(PgEndpoint db, String... channels) throws SQLException {
    Connection c = TestServers.connect(db);
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN zgres_relay");
      for (String channel : channels) {
        s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
      }
    }
    return new ChatEvents(c);
  }

  /**
   * The first event (received so far or until the deadline) that matches; fails at the deadline.
   */
  Event awaitFirst(String description, Predicate<Event> match) throws SQLException {
    List<Event> found = awaitMatching(match, 1);
    if (found.isEmpty()) {
      throw new AssertionError(
          "no event " + description + " within " + DEADLINE + "; received: " + received);
    }
    return found.get(0);
  }

  /** The first {@code count} events on a channel, in the order emitted; fails at the deadline. */
  List<Event> awaitOn(String channel, int count) throws SQLException {
    List<Event> found = awaitMatching(e -> e.channel().equals(channel), count);
    if (found.size() < count) {
      throw new AssertionError(
          "expected "
              + count
              + " events on "
              + channel
              + " within "
              + DEADLINE
              + "; received: "
              + received);
    }
    return found.subList(0, count);
  }

  private List<Event> awaitMatching(Predicate<Event> match, int count) throws SQLException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    PGConnection pg = connection.unwrap(PGConnection.class);
    while (true) {
      List<Event> found = received.stream().filter(match).toList();
      if (found.size() >= count || System.nanoTime() >= deadline) {
        return found;
      }
      PGNotification[] batch = pg.getNotifications(100);
      if (batch != null) {
        for (PGNotification n : batch) {
          received.add(unwrap(n));
        }
      }
    }
  }

  private Event unwrap(PGNotification n) throws SQLException {
    String payload = n.getParameter();
    if (!n.getName().equals("zgres_relay")) {
      return new Event(n.getName(), payload, Path.DIRECT);
    }
    if (payload.startsWith("d:")) {
      int newline = payload.indexOf('\n');
      return new Event(payload.substring(2, newline), payload.substring(newline + 1), Path.RELAYED);
    }
    if (payload.startsWith("s:")) {
      try (PreparedStatement s =
          connection.prepareStatement("SELECT channel, payload FROM zgres.spill WHERE id = ?")) {
        s.setLong(1, Long.parseLong(payload.substring(2)));
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new AssertionError("spill reference " + payload + " has no row in zgres.spill");
          }
          return new Event(rs.getString(1), rs.getString(2), Path.SPILLED);
        }
      }
    }
    throw new AssertionError("unexpected payload on zgres_relay: " + payload);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
