package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.chat.ChatEvents.Event;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SQL the gateway relies on: membership events, read access, HTTP queries, presence. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GatewaySqlIT extends ChatFixture {

  @Test
  void membershipChangesAreEmittedOnTheChannelInOrderWithItsMessages() throws SQLException {
    int owner = chat.newUser("own");
    int member = chat.newUser("mem");
    int other = chat.newUser("oth");
    int channel = chat.createChannel(owner, "team", "private", member, other);
    String name = "chat_message_" + channel;
    chat.run("SELECT zgres.mark_listened(ARRAY[?])", name);
    try (ChatEvents events = ChatEvents.listen(db, name)) {
      chat.postMessage(member, channel, "before");
      chat.run("SELECT chat.remove_member(?, ?, ?)", owner, channel, member);
      chat.postMessage(owner, channel, "after");
      assertThat(chat.value(Boolean.class, "SELECT chat.leave_channel(?, ?)", other, channel))
          .isTrue();
      assertThat(chat.value(Boolean.class, "SELECT chat.leave_channel(?, ?)", other, channel))
          .isFalse();

      List<Event> got = events.awaitOn(name, 4);
      assertThat(got)
          .extracting(Event::event)
          .containsExactly("message_created", "member_removed", "message_created", "member_left");
      assertThat(got.get(1).json().get("user_id").asInt()).isEqualTo(member);
      assertThat(got.get(1).json().get("removed_by").asInt()).isEqualTo(owner);
      assertThat(got.get(1).json().get("channel_type").asText()).isEqualTo("private");
      assertThat(got.get(3).json().get("user_id").asInt()).isEqualTo(other);
      assertThat(got.get(3).json().has("removed_by")).isFalse();
    }
  }

  @Test
  void joiningEmitsMemberJoined() throws SQLException {
    int owner = chat.newUser("own");
    int joiner = chat.newUser("join");
    int channel = chat.createChannel(owner, "lobby", "public");
    String name = "chat_message_" + channel;
    chat.run("SELECT zgres.mark_listened(ARRAY[?])", name);
    try (ChatEvents events = ChatEvents.listen(db, name)) {
      chat.run("SELECT chat.join_channel(?, ?)", joiner, channel);
      Event joined = events.awaitOn(name, 1).get(0);
      assertThat(joined.event()).isEqualTo("member_joined");
      assertThat(joined.json().get("user_id").asInt()).isEqualTo(joiner);
      assertThat(joined.json().get("role").asText()).isEqualTo("member");
    }
  }

  @Test
  void onlyTheOwnerRemovesAndNobodyLeavesADirectChannel() throws SQLException {
    int owner = chat.newUser("own");
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    int channel = chat.createChannel(owner, "club", "private", a, b);
    assertThat(failure(() -> chat.run("SELECT chat.remove_member(?, ?, ?)", a, channel, b)))
        .isEqualTo(
            new dev.zgres.testkit.ChatApi.Failure(
                "42501",
                "user "
                    + a
                    + " may not remove members of channel "
                    + channel
                    + ": only its owner may"));
    assertThat(
            failure(() -> chat.run("SELECT chat.remove_member(?, ?, ?)", owner, channel, owner))
                .sqlState())
        .isEqualTo("22023");
    chat.run("SELECT chat.remove_member(?, ?, ?)", owner, channel, a);
    assertThat(failure(() -> chat.run("SELECT chat.remove_member(?, ?, ?)", owner, channel, a)))
        .isEqualTo(
            new dev.zgres.testkit.ChatApi.Failure(
                "P0002", "user " + a + " is not a member of channel " + channel));
    long dm = chat.sendDirectMessage(a, b, "hi");
    int direct = chat.value(Integer.class, "SELECT channel_id FROM chat.messages WHERE id = ?", dm);
    assertThat(failure(() -> chat.run("SELECT chat.leave_channel(?, ?)", a, direct)).sqlState())
        .isEqualTo("42501");
  }

  @Test
  void readAccessTellsPublicMemberForbiddenAndMissingApart() throws SQLException {
    int owner = chat.newUser("own");
    int stranger = chat.newUser("str");
    int open = chat.createChannel(owner, "open", "public");
    int closed = chat.createChannel(owner, "closed", "private");
    String sql = "SELECT chat.read_access(?, ?)";
    assertThat(chat.value(String.class, sql, stranger, open)).isEqualTo("ok");
    assertThat(chat.value(String.class, sql, owner, closed)).isEqualTo("ok");
    assertThat(chat.value(String.class, sql, stranger, closed)).isEqualTo("forbidden");
    assertThat(chat.value(String.class, sql, stranger, Integer.MAX_VALUE)).isEqualTo("not_found");
  }

  @Test
  void myChannelsAndHistoryPagesShowOnlyWhatTheUserMayRead() throws SQLException {
    int owner = chat.newUser("own");
    int stranger = chat.newUser("str");
    int open = chat.createChannel(owner, "open", "public");
    int closed = chat.createChannel(owner, "closed", "private");
    long[] ids = new long[5];
    for (int i = 0; i < 5; i++) {
      ids[i] = chat.postMessage(owner, open, "m" + i);
    }
    List<Map<String, Object>> mine =
        chat.rows(
            "SELECT * FROM chat.get_my_channels(?) WHERE channel_id IN (?, ?)",
            stranger,
            open,
            closed);
    assertThat(mine).extracting(r -> r.get("channel_id")).containsExactly(open);
    assertThat(mine.get(0).get("role")).isNull();
    assertThat(mine.get(0).get("last_message_id")).isEqualTo(ids[4]);

    List<Map<String, Object>> page =
        chat.rows("SELECT * FROM chat.get_history(?, ?, ?, ?)", stranger, open, ids[3], 2);
    assertThat(page).extracting(r -> r.get("content")).containsExactly("m2", "m1");
    assertThat(
            failure(
                    () ->
                        chat.rows(
                            "SELECT * FROM chat.get_history(?, ?, NULL, 10)", stranger, closed))
                .sqlState())
        .isEqualTo("42501");
  }

  @Test
  void presenceStaysOnlineWhileAnyGatewayHoldsASocketAndExpiresWithADeadGateway()
      throws SQLException {
    int user = chat.newUser("pres");
    String status = "SELECT status FROM chat.users WHERE id = ?";
    chat.run("SELECT chat.presence_connect('gw-a', ?, '1 minute')", user);
    chat.run("SELECT chat.presence_connect('gw-b', ?, '1 minute')", user);
    assertThat(chat.value(String.class, status, user)).isEqualTo("online");

    assertThat(chat.value(Boolean.class, "SELECT chat.presence_disconnect('gw-a', ?)", user))
        .isFalse();
    assertThat(chat.value(String.class, status, user)).isEqualTo("online");

    // gw-b dies: its row is left to expire; another gateway's renewal sweeps it.
    chat.run(
        "UPDATE chat.presence_sessions SET expires_at = now() - interval '1 second' WHERE gateway_id = 'gw-b'");
    assertThat(chat.value(Integer.class, "SELECT chat.presence_renew('gw-c', '1 minute')"))
        .isGreaterThanOrEqualTo(1);
    assertThat(chat.value(String.class, status, user)).isEqualTo("offline");
  }

  @Test
  void renewalKeepsALiveGatewaysUsersOnline() throws SQLException {
    int user = chat.newUser("live");
    chat.run("SELECT chat.presence_connect('gw-live', ?, '1 second')", user);
    chat.run("SELECT chat.presence_renew('gw-live', '1 minute')");
    chat.run(
        "UPDATE chat.presence_sessions SET expires_at = now() - interval '1 second' WHERE gateway_id = 'gw-other'");
    chat.run("SELECT chat.presence_renew('gw-other', '1 minute')");
    assertThat(chat.value(String.class, "SELECT status FROM chat.users WHERE id = ?", user))
        .isEqualTo("online");
    assertThat(chat.value(Boolean.class, "SELECT chat.presence_disconnect('gw-live', ?)", user))
        .isTrue();
    assertThat(chat.value(String.class, "SELECT status FROM chat.users WHERE id = ?", user))
        .isEqualTo("offline");
  }
}
