package dev.zgres.bridge.listen;

import dev.zgres.bridge.channel.ChannelName;
import dev.zgres.bridge.channel.ChannelSelector;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels LISTENed on one connection: the fixed ones (configured names plus the control and
 * relay channels) and the ones discovered for the configured patterns. LISTEN and UNLISTEN go in
 * batches, so ten thousand channels take a handful of round trips.
 */
final class ListenSet {
  private static final Logger LOG = LoggerFactory.getLogger(ListenSet.class);
  static final String CONTROL_CHANNEL = "zgres_control";
  static final String RELAY_CHANNEL = "zgres_relay";
  private static final int BATCH = 500;

  private final ChannelSelector selector;
  private final String discoveryQuery;
  private final Set<String> listening = new HashSet<>();

  ListenSet(ChannelSelector selector, String discoveryQuery) {
    this.selector = selector;
    this.discoveryQuery = discoveryQuery;
  }

  /** On a new connection: LISTEN on everything, discovering the pattern channels afresh. */
  void listenAll(Connection connection) throws SQLException {
    listening.clear();
    Set<String> wanted = new LinkedHashSet<>(List.of(CONTROL_CHANNEL, RELAY_CHANNEL));
    wanted.addAll(selector.exact());
    wanted.addAll(discover(connection));
    listen(connection, wanted);
  }

  /** Re-runs discovery and LISTENs / UNLISTENs the difference. */
  void resync(Connection connection) throws SQLException {
    Set<String> discovered = discover(connection);
    List<String> gone =
        listening.stream().filter(c -> isDiscoverable(c) && !discovered.contains(c)).toList();
    unlisten(connection, gone);
    listen(connection, discovered);
  }

  /**
   * Applies a control notification: {@code +name} (a channel was registered), {@code -name} (it was
   * removed); anything else asks for a full resync.
   */
  void apply(Connection connection, String control) throws SQLException {
    if (control.length() > 1 && (control.charAt(0) == '+' || control.charAt(0) == '-')) {
      String channel = control.substring(1);
      if (!selector.matchesPattern(channel) || ChannelName.problem(channel) != null) {
        return;
      }
      if (control.charAt(0) == '+') {
        listen(connection, List.of(channel));
      } else if (isDiscoverable(channel)) {
        unlisten(connection, List.of(channel));
      }
      return;
    }
    resync(connection);
  }

  int size() {
    return listening.size();
  }

  boolean isListening(String channel) {
    return listening.contains(channel);
  }

  private boolean isDiscoverable(String channel) {
    return !selector.exact().contains(channel)
        && !channel.equals(CONTROL_CHANNEL)
        && !channel.equals(RELAY_CHANNEL);
  }

  private Set<String> discover(Connection connection) throws SQLException {
    Set<String> found = new LinkedHashSet<>();
    if (!selector.hasPatterns()) {
      return found;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(discoveryQuery)) {
      while (rs.next()) {
        String channel = rs.getString(1);
        String problem = ChannelName.problem(channel);
        if (problem != null) {
          LOG.warn("discovery query returned a channel name that {}; skipped", problem);
        } else if (selector.matchesPattern(channel)) {
          found.add(channel);
        }
      }
    }
    return found;
  }

  private void listen(Connection connection, Collection<String> channels) throws SQLException {
    List<String> fresh = channels.stream().filter(c -> !listening.contains(c)).toList();
    run(connection, "LISTEN ", fresh);
    listening.addAll(fresh);
    List<String> discovered = fresh.stream().filter(this::isDiscoverable).toList();
    if (!discovered.isEmpty()) {
      markListened(connection, discovered);
    }
  }

  private void unlisten(Connection connection, Collection<String> channels) throws SQLException {
    List<String> present = channels.stream().filter(listening::contains).toList();
    run(connection, "UNLISTEN ", present);
    present.forEach(listening::remove);
  }

  private static void run(Connection connection, String command, List<String> channels)
      throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (int i = 0; i < channels.size(); i += BATCH) {
        StringBuilder sql = new StringBuilder();
        for (String channel : channels.subList(i, Math.min(channels.size(), i + BATCH))) {
          sql.append(command).append(ChannelName.quote(channel)).append(';');
        }
        s.execute(sql.toString());
      }
    }
  }

  private static void markListened(Connection connection, List<String> channels)
      throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("SELECT zgres.mark_listened(?)")) {
      for (int i = 0; i < channels.size(); i += BATCH) {
        Array array =
            connection.createArrayOf(
                "text",
                new ArrayList<>(channels.subList(i, Math.min(channels.size(), i + BATCH)))
                    .toArray());
        p.setArray(1, array);
        p.execute();
      }
    }
  }
}
