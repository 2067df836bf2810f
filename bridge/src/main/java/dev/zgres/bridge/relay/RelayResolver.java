package dev.zgres.bridge.relay;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Turns {@code zgres_relay} notifications back into the payloads {@code zgres.emit} was given:
 *
 * <ul>
 *   <li>{@code d:<channel>\n<payload>}: a payload for a channel no bridge LISTENed on yet;
 *   <li>{@code s:<id>}: a payload too large for NOTIFY, stored in {@code zgres.spill}.
 * </ul>
 *
 * Spill rows are deleted once Kafka acknowledged their record ({@link #acknowledged}), in batches,
 * by the thread that owns the connection ({@link #deleteAcknowledged}).
 */
public final class RelayResolver {
  private final Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Resolves one relay notification.
   *
   * @return empty when a spill row is gone (already published and deleted)
   * @throws IllegalArgumentException when the notification is not in the relay format
   */
  public Optional<RelayedPayload> resolve(Connection connection, String notification)
      throws SQLException {
    if (notification.startsWith("d:")) {
      int newline = notification.indexOf('\n');
      if (newline < 3) {
        throw new IllegalArgumentException(
            "relay notification without a channel: " + preview(notification));
      }
      return Optional.of(
          new RelayedPayload(
              notification.substring(2, newline), notification.substring(newline + 1), 0));
    }
    if (notification.startsWith("s:")) {
      long id;
      try {
        id = Long.parseLong(notification.substring(2));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "relay notification with a bad spill id: " + preview(notification), e);
      }
      return fetch(connection, id);
    }
    throw new IllegalArgumentException(
        "relay notification in an unknown format: " + preview(notification));
  }

  /**
   * Spill rows still present, oldest first: left behind when a bridge stopped before publishing
   * them.
   */
  public List<RelayedPayload> leftovers(Connection connection, int limit) throws SQLException {
    List<RelayedPayload> out = new ArrayList<>();
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT id, channel, payload FROM zgres.spill ORDER BY id LIMIT ?")) {
      p.setInt(1, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new RelayedPayload(rs.getString(2), rs.getString(3), rs.getLong(1)));
        }
      }
    }
    return out;
  }

  /**
   * Claims a spill row for publishing; false when it is already on its way (its notification and
   * the leftover scan after a reconnect can both name it).
   */
  public boolean claim(long spillId) {
    return inFlight.add(spillId);
  }

  /** Called from Kafka's callback thread when a spilled payload's record was acknowledged. */
  public void acknowledged(long spillId) {
    inFlight.remove(spillId);
    acknowledged.add(spillId);
  }

  /** Deletes the spill rows of acknowledged records; returns how many were deleted. */
  public int deleteAcknowledged(Connection connection) throws SQLException {
    List<Long> ids = new ArrayList<>();
    for (Long id = acknowledged.poll();
        id != null && ids.size() < 1_000;
        id = acknowledged.poll()) {
      ids.add(id);
    }
    if (ids.isEmpty()) {
      return 0;
    }
    try (PreparedStatement p =
        connection.prepareStatement("DELETE FROM zgres.spill WHERE id = ANY (?)")) {
      Array array = connection.createArrayOf("bigint", ids.toArray());
      p.setArray(1, array);
      return p.executeUpdate();
    } catch (SQLException e) {
      acknowledged.addAll(ids);
      throw e;
    }
  }

  private static Optional<RelayedPayload> fetch(Connection connection, long id)
      throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT channel, payload FROM zgres.spill WHERE id = ?")) {
      p.setLong(1, id);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next()
            ? Optional.of(new RelayedPayload(rs.getString(1), rs.getString(2), id))
            : Optional.empty();
      }
    }
  }

  private static String preview(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
