package dev.zgres.chat.plproxy;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chat functions the WebSocket gateway calls besides those of {@link ChatApiBehaviour} (its
 * {@code ChatStore}): channel lists, history, read access, leaving and removing, typing, presence,
 * a message's channel. Only through {@code chat.*} functions, so the same checks run against the
 * single server ({@link SingleServerChatApiIT}) and through the proxy ({@link ProxiedChatApiIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayApiBehaviour {
  ChatApi chat;

  /** The database the chat API is called on. */
  abstract PgEndpoint api();

  @BeforeEach
  void connect() throws SQLException {
    chat = ChatApi.connect(api());
  }

  @AfterEach
  void disconnect() throws SQLException {
    chat.close();
  }

  @Test
  void myChannelsListPublicChannelsAndMembershipsWithRoleAndLatestMessage() throws SQLException {
    int owner = chat.newUser("mine");
    int member = chat.newUser("mine");
    int stranger = chat.newUser("mine");
    int open = chat.createChannel(owner, "open", "public");
    int closed = chat.createChannel(owner, "closed", "private", member);
    chat.postMessage(owner, closed, "first");
    long latest = chat.postMessage(member, closed, "latest");

    assertThat(channels(member))
        .filteredOn(c -> List.of(open, closed).contains(c.get("channel_id")))
        .extracting(c -> c.get("channel_id"), c -> c.get("role"), c -> c.get("last_message_id"))
        .containsExactly(tuple(open, null, null), tuple(closed, "member", latest));
    assertThat(channels(stranger))
        .extracting(c -> c.get("channel_id"))
        .contains(open)
        .doesNotContain(closed);
    assertThat(channels(owner))
        .filteredOn(c -> c.get("channel_id").equals(open))
        .extracting(c -> c.get("role"))
        .containsExactly("owner");
    assertThat(failure(() -> channels(999_999)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
  }

  @Test
  void myChannelsComeOrderedByChannelId() throws SQLException {
    int user = chat.newUser("order");
    for (int i = 0; i < 4; i++) {
      chat.createChannel(chat.newUser("order"), "o" + i, "private", user);
    }

    List<Integer> ids = channels(user).stream().map(c -> (Integer) c.get("channel_id")).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void historyPagesNewestFirstBelowTheGivenId() throws SQLException {
    int owner = chat.newUser("hist");
    int member = chat.newUser("hist");
    int channel = chat.createChannel(owner, "history", "private", member);
    long[] ids = new long[5];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = chat.postMessage(i % 2 == 0 ? owner : member, channel, "m" + i);
    }

    assertThat(history(member, channel, null, 2))
        .extracting(m -> m.get("message_id"), m -> m.get("content"))
        .containsExactly(tuple(ids[4], "m4"), tuple(ids[3], "m3"));
    assertThat(history(member, channel, ids[3], 2))
        .extracting(m -> m.get("message_id"))
        .containsExactly(ids[2], ids[1]);
    assertThat(history(member, channel, ids[1], 2))
        .extracting(m -> m.get("message_id"))
        .containsExactly(ids[0]);
  }

  @Test
  void historyRefusesNonMembersMissingChannelsAndBadLimits() throws SQLException {
    int owner = chat.newUser("hist");
    int stranger = chat.newUser("hist");
    int closed = chat.createChannel(owner, "closed", "private");
    int open = chat.createChannel(owner, "open", "public");
    long hello = chat.postMessage(owner, open, "hello");

    assertThat(failure(() -> history(stranger, closed, null, 10)))
        .isEqualTo(
            new Failure(
                "42501", "user " + stranger + " is not a member of private channel " + closed));
    assertThat(failure(() -> history(stranger, 999_999, null, 10)))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
    assertThat(failure(() -> history(999_999, open, null, 10)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(failure(() -> history(owner, open, null, 0)))
        .isEqualTo(new Failure("22023", "limit must be between 1 and 200 (was 0)"));
    assertThat(history(stranger, open, null, 10))
        .extracting(m -> m.get("message_id"))
        .containsExactly(hello);
  }

  @Test
  void readAccessIsOkForMembersAndPublicForbiddenOtherwiseNotFoundForMissing() throws SQLException {
    int owner = chat.newUser("read");
    int member = chat.newUser("read");
    int stranger = chat.newUser("read");
    int closed = chat.createChannel(owner, "closed", "private", member);
    int open = chat.createChannel(owner, "open", "public");

    assertThat(readAccess(member, closed)).isEqualTo("ok");
    assertThat(readAccess(stranger, closed)).isEqualTo("forbidden");
    assertThat(readAccess(stranger, open)).isEqualTo("ok");
    assertThat(readAccess(stranger, 999_999)).isEqualTo("not_found");
  }

  @Test
  void leavingEndsReadAccessAndLeavingTwiceAnswersFalse() throws SQLException {
    int owner = chat.newUser("leave");
    int member = chat.newUser("leave");
    int other = chat.newUser("leave");
    int closed = chat.createChannel(owner, "closed", "private", member);
    chat.sendDirectMessage(owner, other, "hi");
    Object direct = chat.newMessages(other).getFirst().get("channel_id");

    assertThat(leave(member, closed)).isTrue();
    assertThat(readAccess(member, closed)).isEqualTo("forbidden");
    assertThat(leave(member, closed)).isFalse();
    assertThat(failure(() -> leave(other, (Integer) direct)))
        .isEqualTo(
            new Failure(
                "42501", "channel " + direct + " is direct: a direct channel cannot be left"));
    assertThat(failure(() -> leave(member, 999_999)))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
  }

  @Test
  void onlyTheOwnerRemovesMembersAndNotThemselves() throws SQLException {
    int owner = chat.newUser("rm");
    int member = chat.newUser("rm");
    int other = chat.newUser("rm");
    int closed = chat.createChannel(owner, "closed", "private", member, other);

    assertThat(failure(() -> remove(member, closed, other)))
        .isEqualTo(
            new Failure(
                "42501",
                "user "
                    + member
                    + " may not remove members of channel "
                    + closed
                    + ": only its owner may"));
    assertThat(failure(() -> remove(owner, closed, owner)))
        .isEqualTo(
            new Failure("22023", "the owner cannot remove themselves; use chat.leave_channel"));
    remove(owner, closed, member);
    assertThat(readAccess(member, closed)).isEqualTo("forbidden");
    assertThat(readAccess(other, closed)).isEqualTo("ok");
    assertThat(failure(() -> remove(owner, closed, member)))
        .isEqualTo(
            new Failure("P0002", "user " + member + " is not a member of channel " + closed));
    assertThat(failure(() -> remove(999_999, closed, other)))
        .isEqualTo(new Failure("P0002", "actor_id 999999: no such user"));
  }

  @Test
  void typingIsForThoseWhoMayUseTheChannel() throws SQLException {
    int owner = chat.newUser("typing");
    int stranger = chat.newUser("typing");
    int closed = chat.createChannel(owner, "closed", "private");
    int open = chat.createChannel(owner, "open", "public");

    typing(closed, owner, true);
    typing(closed, owner, false);
    typing(open, stranger, true);
    assertThat(failure(() -> typing(closed, stranger, true)))
        .isEqualTo(
            new Failure(
                "42501", "user " + stranger + " is not a member of private channel " + closed));
    assertThat(
            failure(() -> chat.run("SELECT chat.handle_typing_indicator(?, ?, NULL)", open, owner)))
        .isEqualTo(new Failure("22004", "is_typing must not be NULL"));
    assertThat(failure(() -> typing(999_999, owner, true)))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
    assertThat(failure(() -> typing(open, 999_999, true)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
  }

  @Test
  void presenceEndsWhenTheLastGatewayLetsGo() throws SQLException {
    int user = chat.newUser("online");

    presenceConnect("gw-a", user, 60);
    presenceConnect("gw-b", user, 60);
    assertThat(presenceDisconnect("gw-a", user)).as("gw-b still holds a socket").isFalse();
    assertThat(presenceDisconnect("gw-b", user)).as("the last one").isTrue();
    assertThat(presenceDisconnect("gw-b", user)).as("nothing left").isFalse();
    assertThat(failure(() -> presenceConnect("gw-a", 999_999, 60)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(failure(() -> chat.run("SELECT chat.presence_connect('gw-a', ?, NULL)", user)))
        .isEqualTo(new Failure("22023", "ttl must be positive (was NULL)"));
  }

  @Test
  void renewSweepsSessionsThatExpiredAndKeepsRenewedOnes() throws SQLException {
    int lapsed = chat.newUser("lapsed");
    int kept = chat.newUser("kept");
    presenceConnect("gw-dead", lapsed, 0.001);
    presenceConnect("gw-live", kept, 60);

    int offline = 0;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (offline == 0 && Instant.now().isBefore(deadline)) {
      offline += chat.value(Integer.class, "SELECT chat.presence_renew('gw-live', '60 s')");
    }

    assertThat(offline).as("users the sweep took offline").isPositive();
    assertThat(presenceDisconnect("gw-dead", lapsed)).as("swept already").isFalse();
    assertThat(presenceDisconnect("gw-live", kept)).as("renewed, so still held").isTrue();
    assertThat(failure(() -> chat.run("SELECT chat.presence_renew('gw-live', NULL)")))
        .isEqualTo(new Failure("22023", "ttl must be positive (was NULL)"));
  }

  @Test
  void aDirectMessageNamesItsChannel() throws SQLException {
    int a = chat.newUser("dm");
    int b = chat.newUser("dm");
    long message = chat.sendDirectMessage(a, b, "where am I");

    assertThat(chat.value(Integer.class, "SELECT chat.message_channel_id(?)", message))
        .isEqualTo(chat.newMessages(b).getFirst().get("channel_id"));
    assertThat(chat.value(Integer.class, "SELECT chat.message_channel_id(?)", 999_999L)).isNull();
  }

  @Test
  void replySuggestionsFollowReadAccess() throws SQLException {
    int owner = chat.newUser("sugg");
    int stranger = chat.newUser("sugg");
    int closed = chat.createChannel(owner, "closed", "private");
    chat.postMessage(owner, closed, "anything to suggest?");

    assertThat(chat.rows("SELECT * FROM chat.get_reply_suggestions(?, ?, ?)", owner, closed, 5))
        .isEmpty();
    assertThat(
            failure(
                () ->
                    chat.rows(
                        "SELECT * FROM chat.get_reply_suggestions(?, ?, ?)", stranger, closed, 5)))
        .isEqualTo(
            new Failure(
                "42501", "user " + stranger + " is not a member of private channel " + closed));
  }

  List<Map<String, Object>> channels(int user) throws SQLException {
    return chat.rows("SELECT * FROM chat.get_my_channels(?)", user);
  }

  List<Map<String, Object>> history(int user, int channel, Long before, int limit)
      throws SQLException {
    return chat.rows("SELECT * FROM chat.get_history(?, ?, ?, ?)", user, channel, before, limit);
  }

  String readAccess(int user, int channel) throws SQLException {
    return chat.value(String.class, "SELECT chat.read_access(?, ?)", user, channel);
  }

  boolean leave(int user, int channel) throws SQLException {
    return chat.value(Boolean.class, "SELECT chat.leave_channel(?, ?)", user, channel);
  }

  void remove(int actor, int channel, int user) throws SQLException {
    chat.run("SELECT chat.remove_member(?, ?, ?)", actor, channel, user);
  }

  void typing(int channel, int user, boolean isTyping) throws SQLException {
    chat.run("SELECT chat.handle_typing_indicator(?, ?, ?)", channel, user, isTyping);
  }

  void presenceConnect(String gateway, int user, double ttlSeconds) throws SQLException {
    chat.run(
        "SELECT chat.presence_connect(?, ?, make_interval(secs => ?))", gateway, user, ttlSeconds);
  }

  boolean presenceDisconnect(String gateway, int user) throws SQLException {
    return chat.value(Boolean.class, "SELECT chat.presence_disconnect(?, ?)", gateway, user);
  }
}
