package dev.zgres.chat.plproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zgres.embedded.DebianPostgres15;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.PlProxyCluster;
import dev.zgres.testkit.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChatApiBehaviour}, {@link GatewayApiBehaviour} and {@link SearchApiBehaviour} through the
 * PL/Proxy proxy of two partitions (PostgreSQL 15 from Debian's packages; skipped, naming the
 * packages, where they are not installed), and what only a partitioned chat has: ids that name
 * their partition, data placed by the documented hash, and calls between users on different
 * partitions.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProxiedChatApiIT extends ChatApiBehaviour {
  private PlProxyCluster cluster;

  @BeforeAll
  void cluster() throws Exception {
    String missing = DebianPostgres15.missing();
    assumeTrue(missing == null, () -> "PL/Proxy tests skipped: " + missing);
    cluster = PlProxyCluster.start(2);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  PgEndpoint api() {
    return cluster.proxy();
  }

  @Test
  void usersSpreadOverBothPartitionsWithIdsThatNameTheirPartition() throws SQLException {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 24; i++) {
      ids.add(chat.newUser("spread"));
    }

    assertThat(ids).hasSize(24);
    assertThat(ids.stream().map(cluster::partitionOf).distinct()).containsExactlyInAnyOrder(0, 1);
    for (int id : ids) {
      int home = cluster.partitionOf(id);
      assertThat(count(home, "SELECT count(*) FROM chat.users WHERE id = ? AND home", id))
          .as("user %d at home on partition %d", id, home)
          .isEqualTo(1);
      assertThat(count(1 - home, "SELECT count(*) FROM chat.users WHERE id = ?", id)).isZero();
    }
  }

  @Test
  void directMessageAcrossPartitionsIsStoredOnceOnThePairsPartition() throws SQLException {
    int[] pair = usersOnBothPartitions();
    int low = Math.min(pair[0], pair[1]);
    int high = Math.max(pair[0], pair[1]);

    long message = chat.sendDirectMessage(high, low, "across the cluster");

    int pairs = cluster.partitionOf(low);
    assertThat(cluster.partitionOf(message)).isEqualTo(pairs);
    assertThat(count(pairs, "SELECT count(*) FROM chat.messages WHERE id = ?", message))
        .isEqualTo(1);
    assertThat(count(1 - pairs, "SELECT count(*) FROM chat.messages WHERE id = ?", message))
        .isZero();
    assertThat(count(pairs, "SELECT count(*) FROM chat.users WHERE id = ? AND NOT home", high))
        .as("the sender is a shadow on the pair's partition")
        .isEqualTo(1);
    assertThat(chat.newMessages(low)).extracting(m -> m.get("message_id")).containsExactly(message);
    assertThat(chat.newMessages(low)).isEmpty();
  }

  @Test
  void friendsOnlyIsCheckedAgainstTheListOnTheReceiversOwnPartition() throws SQLException {
    int[] pair = usersOnBothPartitions();
    int sender = Math.min(pair[0], pair[1]);
    int receiver = Math.max(pair[0], pair[1]);
    // The pair's channel lives on the sender's partition; the receiver's list on the other.
    chat.setFriendsOnly(receiver, true);

    assertThat(ChatApi.failure(() -> chat.sendDirectMessage(sender, receiver, "x")).sqlState())
        .isEqualTo("42501");
    chat.setFriends(receiver, sender);
    long allowed = chat.sendDirectMessage(sender, receiver, "on the list now");
    chat.setFriends(receiver);
    assertThat(ChatApi.failure(() -> chat.sendDirectMessage(sender, receiver, "y")).sqlState())
        .isEqualTo("42501");
    assertThat(ChatApi.failure(() -> chat.postMessage(sender, channelOf(allowed), "z")).sqlState())
        .as("posting in the existing direct channel reads the receiver's list too")
        .isEqualTo("42501");

    assertThat(chat.newMessages(receiver))
        .extracting(m -> m.get("content"))
        .containsExactly("on the list now");
  }

  @Test
  void aChannelKeepsItsMembersAndMessagesOnItsOwnersPartition() throws SQLException {
    int[] pair = usersOnBothPartitions();
    int owner = pair[0];
    int guest = pair[1];
    int channel = chat.createChannel(owner, "mixed", "private", guest);
    long first = chat.postMessage(guest, channel, "guest first");
    long second = chat.postMessage(owner, channel, "owner second");

    int home = cluster.partitionOf(owner);
    assertThat(cluster.partitionOf(channel)).isEqualTo(home);
    assertThat(
            count(
                home,
                "SELECT count(*) FROM chat.messages WHERE channel_id = ? AND id IN (?, ?)",
                channel,
                first,
                second))
        .isEqualTo(2);
    assertThat(count(1 - home, "SELECT count(*) FROM chat.channels WHERE id = ?", channel))
        .isZero();
    assertThat(
            count(home, "SELECT count(*) FROM chat.channel_members WHERE channel_id = ?", channel))
        .isEqualTo(2);
  }

  /** Semantic search on the same database. */
  @Nested
  class Search extends SearchApiBehaviour {
    @Override
    PgEndpoint api() {
      return cluster.proxy();
    }
  }

  /** The gateway's calls through the same proxy, and where their data lives. */
  @Nested
  class GatewayCalls extends GatewayApiBehaviour {
    @Override
    PgEndpoint api() {
      return cluster.proxy();
    }

    @Test
    void aMemberSeesReadsAndTypesInChannelsOnAnotherPartition() throws SQLException {
      int[] pair = usersOnBothPartitions(chat);
      int owner = pair[0];
      int guest = pair[1];
      int away = chat.createChannel(owner, "away", "private", guest);
      int home = chat.createChannel(guest, "home", "public");
      long hello = chat.postMessage(owner, away, "hello from partition 0");

      assertThat(cluster.partitionOf(away)).isZero();
      assertThat(cluster.partitionOf(home)).isEqualTo(1);
      assertThat(channels(guest))
          .filteredOn(c -> List.of(away, home).contains(c.get("channel_id")))
          .extracting(c -> c.get("channel_id"), c -> c.get("role"))
          .containsExactlyInAnyOrder(tuple(away, "member"), tuple(home, "owner"));
      assertThat(history(guest, away, null, 10))
          .extracting(m -> m.get("message_id"))
          .containsExactly(hello);
      typing(away, guest, true);
      assertThat(
              count(
                  0,
                  "SELECT count(*) FROM chat.typing_indicators WHERE channel_id = ? AND user_id = ?",
                  away,
                  guest))
          .isEqualTo(1);
    }

    @Test
    void aReaderFromAnotherPartitionBecomesAShadowOfThePublicChannelsPartition()
        throws SQLException {
      int[] pair = usersOnBothPartitions(chat);
      int owner = pair[0];
      int reader = pair[1];
      int open = chat.createChannel(owner, "open", "public");
      long hello = chat.postMessage(owner, open, "anyone there?");
      String shadow = "SELECT count(*) FROM chat.users WHERE id = ? AND NOT home";
      assertThat(count(0, shadow, reader)).isZero();

      assertThat(history(reader, open, null, 10))
          .extracting(m -> m.get("message_id"))
          .containsExactly(hello);
      assertThat(count(0, shadow, reader)).isEqualTo(1);
      assertThat(leave(reader, open)).as("a reader is no member").isFalse();
    }

    @Test
    void presenceLivesOnTheUsersHomePartitionOnly() throws SQLException {
      int[] pair = usersOnBothPartitions(chat);
      for (int user : pair) {
        presenceConnect("gw-home", user, 60);
        int home = cluster.partitionOf(user);
        String sessions = "SELECT count(*) FROM chat.presence_sessions WHERE user_id = ?";
        assertThat(count(home, sessions, user)).isEqualTo(1);
        assertThat(count(1 - home, sessions, user)).isZero();
        assertThat(
                count(
                    home,
                    "SELECT count(*) FROM chat.users WHERE id = ? AND status = 'online'",
                    user))
            .isEqualTo(1);
      }
      chat.run("SELECT chat.presence_renew('gw-home', '60 s')");
      for (int user : pair) {
        assertThat(presenceDisconnect("gw-home", user)).as("renewed on its partition").isTrue();
      }
    }
  }

  /** Registers users until there is one on partition 0 and one on partition 1; returns both. */
  private int[] usersOnBothPartitions() throws SQLException {
    return usersOnBothPartitions(chat);
  }

  private int[] usersOnBothPartitions(ChatApi api) throws SQLException {
    Integer[] found = new Integer[2];
    for (int i = 0; i < 64 && (found[0] == null || found[1] == null); i++) {
      int id = api.newUser("side");
      found[cluster.partitionOf(id)] = id;
    }
    assertThat(found).doesNotContainNull();
    return new int[] {found[0], found[1]};
  }

  private int channelOf(long message) throws SQLException {
    return count(
        cluster.partitionOf(message), "SELECT channel_id FROM chat.messages WHERE id = ?", message);
  }

  private int count(int partition, String sql, Object... params) throws SQLException {
    try (Connection c = TestServers.connect(cluster.partitions().get(partition));
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
