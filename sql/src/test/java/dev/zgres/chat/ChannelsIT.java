package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChannelsIT extends ChatFixture {

  @Test
  void createChannelMakesTheOwnerAMemberAlongWithTheGivenMembers() throws SQLException {
    int owner = chat.newUser("owner");
    int m1 = chat.newUser("m1");
    int m2 = chat.newUser("m2");

    int channel = chat.createChannel(owner, "team", "private", m1, m2, m1, owner);

    assertThat(members(channel))
        .containsExactly(
            Map.of("user_id", owner, "role", "owner"),
            Map.of("user_id", m1, "role", "member"),
            Map.of("user_id", m2, "role", "member"));
    assertThat(
            chat.rows(
                "SELECT name, channel_type, owner_id FROM chat.channels WHERE id = ?", channel))
        .containsExactly(Map.of("name", "team", "channel_type", "private", "owner_id", owner));
  }

  @Test
  void createChannelAcceptsNoMemberList() throws SQLException {
    int owner = chat.newUser("solo");

    int channel = chat.createChannel(owner, "solo", "public", (Integer[]) null);

    assertThat(members(channel)).containsExactly(Map.of("user_id", owner, "role", "owner"));
  }

  @Test
  void createChannelRefusesBadInputNamingTheField() throws SQLException {
    int owner = chat.newUser("bad");

    assertThat(failure(() -> chat.createChannel(owner, "x", "secret")))
        .isEqualTo(
            new Failure(
                "22023", "channel_type must be public, private or direct (was \"secret\")"));
    assertThat(failure(() -> chat.createChannel(owner, "x", null)))
        .isEqualTo(
            new Failure("22023", "channel_type must be public, private or direct (was NULL)"));
    assertThat(failure(() -> chat.createChannel(owner, "  ", "public")))
        .isEqualTo(new Failure("22023", "channel name must not be empty"));
    assertThat(failure(() -> chat.createChannel(owner, "n".repeat(101), "public")))
        .isEqualTo(new Failure("22023", "channel name must be at most 100 characters (was 101)"));
    assertThat(failure(() -> chat.createChannel(owner, "x", "public", 999_999)))
        .isEqualTo(new Failure("P0002", "member_ids contains unknown user ids: 999999"));
    assertThat(failure(() -> chat.createChannel(owner, "x", "public", (Integer) null)))
        .isEqualTo(new Failure("22004", "member_ids must not contain NULL"));
    assertThat(failure(() -> chat.createChannel(999_999, "x", "public")))
        .isEqualTo(new Failure("P0002", "owner_id 999999: no such user"));
    assertThat(
            chat.value(Long.class, "SELECT count(*) FROM chat.channels WHERE owner_id = ?", owner))
        .isZero();
  }

  @Test
  void directChannelMustHaveExactlyTwoMembersOwnerIncluded() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    int c = chat.newUser("c");

    assertThat(failure(() -> chat.createChannel(a, "dm", "direct", b, c)))
        .isEqualTo(
            new Failure(
                "22023",
                "a direct channel must have exactly 2 members, the owner included (was 3)"));
    assertThat(failure(() -> chat.createChannel(a, "dm", "direct", a)))
        .isEqualTo(
            new Failure(
                "22023",
                "a direct channel must have exactly 2 members, the owner included (was 1)"));

    int dm = chat.createChannel(a, "dm", "direct", b);
    assertThat(members(dm)).extracting(m -> m.get("user_id")).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void secondDirectChannelForTheSamePairIsRefusedNamingTheExistingOne() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    int dm = chat.createChannel(a, "dm", "direct", b);

    assertThat(failure(() -> chat.createChannel(b, "again", "direct", a)))
        .isEqualTo(
            new Failure(
                "23505",
                "users "
                    + Math.min(a, b)
                    + " and "
                    + Math.max(a, b)
                    + " already have a direct channel (id "
                    + dm
                    + ")"));
  }

  @Test
  void directChannelWithAFriendsOnlyUserNeedsToBeOnTheirList() throws SQLException {
    int a = chat.newUser("a");
    int picky = chat.newUser("picky");
    chat.setFriendsOnly(picky, true);

    assertThat(failure(() -> chat.createChannel(a, "dm", "direct", picky)))
        .isEqualTo(
            new Failure(
                "42501",
                "user "
                    + picky
                    + " accepts direct messages from friends only, and user "
                    + a
                    + " is not on their friend list"));

    chat.setFriends(picky, a);
    assertThat(chat.createChannel(a, "dm", "direct", picky)).isPositive();
  }

  @Test
  void joinChannelAddsAMemberToPublicChannelsOnly() throws SQLException {
    int owner = chat.newUser("owner");
    int joiner = chat.newUser("joiner");
    int open = chat.createChannel(owner, "open", "public");
    int closed = chat.createChannel(owner, "closed", "private");

    chat.run("SELECT chat.join_channel(?, ?)", joiner, open);
    chat.run("SELECT chat.join_channel(?, ?)", joiner, open);

    assertThat(members(open)).extracting(m -> m.get("user_id")).containsExactly(owner, joiner);
    assertThat(failure(() -> chat.run("SELECT chat.join_channel(?, ?)", joiner, closed)))
        .isEqualTo(
            new Failure(
                "42501", "channel " + closed + " is private: only public channels can be joined"));
    assertThat(failure(() -> chat.run("SELECT chat.join_channel(?, ?)", joiner, 999_999)))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
  }

  @Test
  void creatingAChannelRegistersItsEventChannelAndDeletingItUnregistersIt() throws SQLException {
    int owner = chat.newUser("reg");
    int channel = chat.createChannel(owner, "registered", "public");
    String name = "chat_message_" + channel;

    assertThat(
            chat.value(
                Long.class, "SELECT count(*) FROM zgres.channel_registry WHERE channel = ?", name))
        .isEqualTo(1L);
    chat.postMessage(owner, channel, "something to cascade");
    chat.run("DELETE FROM chat.channels WHERE id = ?", channel);
    assertThat(
            chat.value(
                Long.class, "SELECT count(*) FROM zgres.channel_registry WHERE channel = ?", name))
        .isZero();
  }

  @Test
  void aRolledBackChannelLeavesNoRegistration() throws SQLException {
    int owner = chat.newUser("rollback");
    chat.connection().setAutoCommit(false);
    int channel = chat.createChannel(owner, "never", "public");
    chat.connection().rollback();
    chat.connection().setAutoCommit(true);

    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM zgres.channel_registry WHERE channel = ?",
                "chat_message_" + channel))
        .isZero();
  }

  private List<Map<String, Object>> members(int channel) throws SQLException {
    return chat.rows(
        "SELECT user_id, role FROM chat.channel_members WHERE channel_id = ? ORDER BY role DESC, user_id",
        channel);
  }
}
