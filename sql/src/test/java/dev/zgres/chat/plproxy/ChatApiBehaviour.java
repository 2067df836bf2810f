package dev.zgres.chat.plproxy;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The book's chat API as a caller sees it, only through the {@code chat.*} functions (never the
 * tables), so that the very same checks run against the single server ({@link
 * SingleServerChatApiIT}) and through the PL/Proxy proxy ({@link ProxiedChatApiIT}): same results,
 * same SQLSTATEs, same messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatApiBehaviour {
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
  void registeredUserLogsInInAnyCaseWithTheSameId() throws SQLException {
    String name = ChatApi.uniqueUsername("Reg");
    int id = chat.registerUser(name, "s3cret-pass", name + "@example.org");

    assertThat(id).isPositive();
    assertThat(chat.login(name, "s3cret-pass")).isEqualTo(id);
    assertThat(chat.login(name.toUpperCase(), "s3cret-pass")).isEqualTo(id);
  }

  @Test
  void registerUserRefusesATakenUsernameInAnyCase() throws SQLException {
    String name = ChatApi.uniqueUsername("Dup");
    chat.registerUser(name, ChatApi.PASSWORD, "first@example.org");

    assertThat(failure(() -> chat.registerUser(name.toLowerCase(), ChatApi.PASSWORD, "x@y.org")))
        .isEqualTo(
            new Failure("23505", "username \"" + name.toLowerCase() + "\" is already taken"));
  }

  @Test
  void registerUserRefusesBadInputNamingTheField() {
    assertThat(failure(() -> chat.registerUser("a b", ChatApi.PASSWORD, "x@example.org")))
        .isEqualTo(
            new Failure(
                "22023", "username must be 3 to 32 letters, digits or underscores (was \"a b\")"));
    assertThat(failure(() -> chat.registerUser(null, ChatApi.PASSWORD, "x@example.org")))
        .isEqualTo(
            new Failure(
                "22023", "username must be 3 to 32 letters, digits or underscores (was NULL)"));
    assertThat(failure(() -> chat.registerUser(ChatApi.uniqueUsername("pw"), "short", "x@ex.org")))
        .isEqualTo(new Failure("22023", "password must be at least 8 characters long"));
    assertThat(
            failure(
                    () ->
                        chat.registerUser(ChatApi.uniqueUsername("mail"), ChatApi.PASSWORD, "nope"))
                .message())
        .startsWith("email must look like name@example.org");
  }

  @Test
  void loginGivesOneErrorForUnknownUserWrongPasswordAndNulls() throws SQLException {
    String name = ChatApi.uniqueUsername("login");
    chat.registerUser(name, ChatApi.PASSWORD, "l@example.org");
    Failure expected = new Failure("28P01", "invalid username or password");

    assertThat(failure(() -> chat.login(name, "not the password"))).isEqualTo(expected);
    assertThat(failure(() -> chat.login(name + "_nobody", ChatApi.PASSWORD))).isEqualTo(expected);
    assertThat(failure(() -> chat.login(name, null))).isEqualTo(expected);
    assertThat(failure(() -> chat.login(null, ChatApi.PASSWORD))).isEqualTo(expected);
  }

  @Test
  void setFriendsReplacesTheWholeListWhereverTheFriendsLive() throws SQLException {
    int me = chat.newUser("me");
    int b = chat.newUser("b");
    int c = chat.newUser("c");
    int d = chat.newUser("d");

    chat.setFriends(me, b, c, c);
    assertThat(friendsOf(me)).containsExactly(byId(b, c));
    chat.setFriends(me, c, d);
    assertThat(friendsOf(me)).containsExactly(byId(c, d));
    chat.setFriends(me);
    assertThat(friendsOf(me)).isEmpty();
  }

  @Test
  void setFriendsRefusesSelfUnknownIdsAndNullLeavingTheListAsItWas() throws SQLException {
    int me = chat.newUser("me");
    int b = chat.newUser("b");
    chat.setFriends(me, b);

    assertThat(failure(() -> chat.setFriends(me, b, me)))
        .isEqualTo(new Failure("22023", "friend_ids must not contain the user's own id " + me));
    assertThat(failure(() -> chat.setFriends(me, b, 999_999, 999_998)))
        .isEqualTo(new Failure("P0002", "friend_ids contains unknown user ids: 999998, 999999"));
    assertThat(failure(() -> chat.setFriends(me, b, null)))
        .isEqualTo(new Failure("22004", "friend_ids must not contain NULL"));
    assertThat(failure(() -> chat.setFriends(999_999, b)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(friendsOf(me)).containsExactly(b);
  }

  @Test
  void setFriendsOnlyRefusesNullOrUnknownUser() throws SQLException {
    int me = chat.newUser("flag");

    assertThat(failure(() -> chat.run("SELECT chat.set_friends_only(?, NULL)", me)))
        .isEqualTo(new Failure("22004", "flag must not be NULL"));
    assertThat(failure(() -> chat.setFriendsOnly(999_999, true)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(failure(() -> chat.run("SELECT chat.set_friends_only(NULL, true)")))
        .isEqualTo(new Failure("22004", "user_id must not be NULL"));
  }

  @Test
  void friendsOnlyUserHearsOnlyFromFriendsAndTheListIsReadWhenSending() throws SQLException {
    int sender = chat.newUser("sender");
    int picky = chat.newUser("picky");
    chat.setFriendsOnly(picky, true);
    Failure refused =
        new Failure(
            "42501",
            "user "
                + picky
                + " accepts direct messages from friends only, and user "
                + sender
                + " is not on their friend list");

    assertThat(failure(() -> chat.sendDirectMessage(sender, picky, "hello?"))).isEqualTo(refused);
    chat.setFriends(picky, sender);
    long first = chat.sendDirectMessage(sender, picky, "hello, friend");
    chat.setFriends(picky);
    assertThat(failure(() -> chat.sendDirectMessage(sender, picky, "still there?")))
        .isEqualTo(refused);
    chat.setFriendsOnly(picky, false);
    long second = chat.sendDirectMessage(sender, picky, "now anyone may write");

    assertThat(chat.newMessages(picky))
        .extracting(m -> m.get("message_id"), m -> m.get("content"))
        .containsExactly(tuple(first, "hello, friend"), tuple(second, "now anyone may write"));
  }

  @Test
  void directMessagesOfAPairShareOneChannelWhoeverWritesFirst() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");

    chat.sendDirectMessage(a, b, "from a");
    chat.sendDirectMessage(b, a, "from b");

    Object toB = chat.newMessages(b).getFirst().get("channel_id");
    Object toA = chat.newMessages(a).getFirst().get("channel_id");
    assertThat(toA).isEqualTo(toB);
    assertThat(failure(() -> chat.createChannel(b, "again", "direct", a)))
        .isEqualTo(
            new Failure(
                "23505",
                "users "
                    + Math.min(a, b)
                    + " and "
                    + Math.max(a, b)
                    + " already have a direct channel (id "
                    + toA
                    + ")"));
  }

  @Test
  void sendDirectMessageRefusesUnknownUsersSelfAndBlankBodies() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");

    assertThat(failure(() -> chat.sendDirectMessage(999_999, b, "x")))
        .isEqualTo(new Failure("P0002", "sender_id 999999: no such user"));
    assertThat(failure(() -> chat.sendDirectMessage(a, 999_999, "x")))
        .isEqualTo(new Failure("P0002", "receiver_id 999999: no such user"));
    assertThat(failure(() -> chat.sendDirectMessage(a, a, "x")))
        .isEqualTo(new Failure("22023", "receiver_id must differ from sender_id (both " + a + ")"));
    assertThat(failure(() -> chat.sendDirectMessage(a, b, " \n")))
        .isEqualTo(new Failure("22023", "message body must not be empty"));
    assertThat(chat.newMessages(b)).isEmpty();
  }

  @Test
  void channelMembersReadEachOthersMessagesOnceInChannelOrder() throws SQLException {
    String ownerName = ChatApi.uniqueUsername("owner");
    String m1Name = ChatApi.uniqueUsername("m1");
    int owner = chat.registerUser(ownerName, ChatApi.PASSWORD, "o@example.org");
    int m1 = chat.registerUser(m1Name, ChatApi.PASSWORD, "m1@example.org");
    int m2 = chat.newUser("m2");
    int channel = chat.createChannel(owner, "team", "private", m1, m2);

    long one = chat.postMessage(owner, channel, "one");
    long two = chat.postMessage(m1, channel, "two");
    long three = chat.postMessage(owner, channel, "three");

    assertThat(chat.newMessages(m2))
        .extracting(
            m -> m.get("message_id"), m -> m.get("channel_id"), m -> m.get("sender_username"))
        .containsExactly(
            tuple(one, channel, ownerName),
            tuple(two, channel, m1Name),
            tuple(three, channel, ownerName));
    assertThat(chat.newMessages(m2)).isEmpty();
    assertThat(chat.newMessages(m1))
        .extracting(m -> m.get("content"))
        .containsExactly("one", "three");
    assertThat(one).isLessThan(two);
    assertThat(two).isLessThan(three);
  }

  @Test
  void privateChannelRefusesNonMembersAndPublicChannelTakesAnyone() throws SQLException {
    int owner = chat.newUser("owner");
    int stranger = chat.newUser("stranger");
    int closed = chat.createChannel(owner, "closed", "private");
    int open = chat.createChannel(owner, "open", "public");

    assertThat(failure(() -> chat.postMessage(stranger, closed, "let me in")))
        .isEqualTo(
            new Failure(
                "42501", "user " + stranger + " is not a member of private channel " + closed));
    chat.postMessage(stranger, open, "hello all");
    chat.run("SELECT chat.join_channel(?, ?)", stranger, open);

    assertThat(chat.newMessages(owner))
        .extracting(m -> m.get("content"))
        .containsExactly("hello all");
    assertThat(failure(() -> chat.postMessage(owner, 999_999, "x")))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
  }

  @Test
  void createChannelRefusesBadInputNamingTheField() throws SQLException {
    int owner = chat.newUser("bad");

    assertThat(failure(() -> chat.createChannel(owner, "x", "secret")))
        .isEqualTo(
            new Failure(
                "22023", "channel_type must be public, private or direct (was \"secret\")"));
    assertThat(failure(() -> chat.createChannel(owner, "x", "public", 999_999)))
        .isEqualTo(new Failure("P0002", "member_ids contains unknown user ids: 999999"));
    assertThat(failure(() -> chat.createChannel(999_999, "x", "public")))
        .isEqualTo(new Failure("P0002", "owner_id 999999: no such user"));
    assertThat(failure(() -> chat.createChannel(owner, "dm", "direct", owner)))
        .isEqualTo(
            new Failure(
                "22023",
                "a direct channel must have exactly 2 members, the owner included (was 1)"));
  }

  @Test
  void getNewMessagesRefusesAnUnknownUser() {
    assertThat(failure(() -> chat.newMessages(999_999)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
  }

  /** get_friends lists by id; ids come in registration order only on the single server. */
  private static Integer[] byId(int... ids) {
    return Arrays.stream(ids).sorted().boxed().toArray(Integer[]::new);
  }

  private List<Integer> friendsOf(int userId) throws SQLException {
    return chat.rows("SELECT friend_id FROM chat.get_friends(?)", userId).stream()
        .map(r -> (Integer) r.get("friend_id"))
        .toList();
  }
}
