package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MessagesIT extends ChatFixture {

  @Test
  void postingInAPublicChannelStoresTheMessageAndMakesThePosterAMember() throws SQLException {
    int owner = chat.newUser("owner");
    int passerBy = chat.newUser("passer");
    int channel = chat.createChannel(owner, "lobby", "public");

    long id = chat.postMessage(passerBy, channel, "hello lobby");

    assertThat(
            chat.rows(
                "SELECT channel_id, user_id, content, message_type FROM chat.messages WHERE id = ?",
                id))
        .containsExactly(
            Map.of(
                "channel_id",
                channel,
                "user_id",
                passerBy,
                "content",
                "hello lobby",
                "message_type",
                "user"));
    assertThat(isMember(passerBy, channel)).isTrue();
  }

  @Test
  void postingInAPrivateOrDirectChannelIsRefusedToNonMembers() throws SQLException {
    int owner = chat.newUser("owner");
    int friend = chat.newUser("friend");
    int outsider = chat.newUser("outsider");
    int team = chat.createChannel(owner, "team", "private", friend);
    int dm = chat.createChannel(owner, "dm", "direct", friend);

    assertThat(failure(() -> chat.postMessage(outsider, team, "let me in")))
        .isEqualTo(
            new Failure(
                "42501", "user " + outsider + " is not a member of private channel " + team));
    assertThat(failure(() -> chat.postMessage(outsider, dm, "let me in")))
        .isEqualTo(
            new Failure("42501", "user " + outsider + " is not a member of direct channel " + dm));
    assertThat(chat.postMessage(friend, team, "members may")).isPositive();
    assertThat(
            chat.value(
                Long.class, "SELECT count(*) FROM chat.messages WHERE user_id = ?", outsider))
        .isZero();
    assertThat(isMember(outsider, team)).isFalse();
  }

  @Test
  void postingRefusesEmptyBlankAndOversizedContentWithClearErrors() throws SQLException {
    int user = chat.newUser("poster");
    int channel = chat.createChannel(user, "limits", "public");

    assertThat(failure(() -> chat.postMessage(user, channel, "")))
        .isEqualTo(new Failure("22023", "message content must not be empty"));
    assertThat(failure(() -> chat.postMessage(user, channel, " \t\r\n ")))
        .isEqualTo(new Failure("22023", "message content must not be empty"));
    assertThat(failure(() -> chat.postMessage(user, channel, null)))
        .isEqualTo(new Failure("22023", "message content must not be empty"));
    assertThat(failure(() -> chat.postMessage(user, channel, "x".repeat(4001))))
        .isEqualTo(
            new Failure("22023", "message content must be at most 4000 characters (was 4001)"));
    assertThat(
            chat.value(
                Long.class, "SELECT count(*) FROM chat.messages WHERE channel_id = ?", channel))
        .isZero();
  }

  @Test
  void aMessageOfExactly4000CharactersIsAcceptedEvenInFourByteCharacters() throws SQLException {
    int user = chat.newUser("long");
    int channel = chat.createChannel(user, "long", "public");
    String longest = "🙂".repeat(4000);

    long id = chat.postMessage(user, channel, longest);

    assertThat(chat.value(String.class, "SELECT content FROM chat.messages WHERE id = ?", id))
        .isEqualTo(longest);
  }

  @Test
  void postingToAnUnknownChannelOrAsAnUnknownUserNamesTheId() throws SQLException {
    int user = chat.newUser("ghost");

    assertThat(failure(() -> chat.postMessage(user, 999_999, "hi")))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
    assertThat(failure(() -> chat.postMessage(999_999, 1, "hi")))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
  }

  @Test
  void sendDirectMessageUsesOneChannelPerPairInBothDirections() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");

    long first = chat.sendDirectMessage(a, b, "hi b");
    long reply = chat.sendDirectMessage(b, a, "hi a");
    long second = chat.sendDirectMessage(a, b, "again");

    List<Integer> channels =
        chat
            .rows(
                "SELECT channel_id FROM chat.messages WHERE id IN (?, ?, ?)", first, reply, second)
            .stream()
            .map(r -> (Integer) r.get("channel_id"))
            .distinct()
            .toList();
    assertThat(channels).hasSize(1);
    assertThat(
            chat.rows(
                "SELECT channel_type, direct_user_a, direct_user_b FROM chat.channels WHERE id = ?",
                channels.get(0)))
        .containsExactly(
            Map.of(
                "channel_type",
                "direct",
                "direct_user_a",
                Math.min(a, b),
                "direct_user_b",
                Math.max(a, b)));
    assertThat(isMember(a, channels.get(0))).isTrue();
    assertThat(isMember(b, channels.get(0))).isTrue();
  }

  @Test
  void firstDirectMessagesSentAtTheSameTimeShareOneChannel() throws Exception {
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    try (ChatApi first = ChatApi.connect(db);
        ChatApi second = ChatApi.connect(db);
        ExecutorService background =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "second-sender"))) {
      int secondPid = second.value(Integer.class, "SELECT pg_backend_pid()");
      first.connection().setAutoCommit(false);
      long fromA = first.sendDirectMessage(a, b, "from a");

      Future<Long> fromB = background.submit(() -> second.sendDirectMessage(b, a, "from b"));
      awaitBlockedOnLock(secondPid);
      first.connection().commit();

      long fromBId = fromB.get(ChatEvents.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(
              chat.value(
                  Long.class,
                  "SELECT count(DISTINCT channel_id) FROM chat.messages WHERE id IN (?, ?)",
                  fromA,
                  fromBId))
          .isEqualTo(1L);
      assertThat(
              chat.value(
                  Long.class,
                  "SELECT count(*) FROM chat.channels WHERE direct_user_a = ? AND direct_user_b = ?",
                  Math.min(a, b),
                  Math.max(a, b)))
          .isEqualTo(1L);
    }
  }

  /** Waits until the backend waits on a lock (here: the other sender's uncommitted channel row). */
  private void awaitBlockedOnLock(int pid) throws SQLException {
    long deadline = System.nanoTime() + ChatEvents.DEADLINE.toNanos();
    while (!"Lock"
        .equals(
            chat.value(
                String.class, "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?", pid))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("backend " + pid + " never waited on a lock");
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  @Test
  void sendDirectMessageIsRefusedByAFriendsOnlyReceiverUntilTheSenderIsAFriend()
      throws SQLException {
    int sender = chat.newUser("sender");
    int receiver = chat.newUser("receiver");
    chat.setFriendsOnly(receiver, true);

    assertThat(failure(() -> chat.sendDirectMessage(sender, receiver, "hello?")))
        .isEqualTo(
            new Failure(
                "42501",
                "user "
                    + receiver
                    + " accepts direct messages from friends only, and user "
                    + sender
                    + " is not on their friend list"));
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM chat.channels WHERE direct_user_a = ? OR direct_user_b = ?",
                receiver,
                receiver))
        .isZero();

    chat.setFriends(receiver, sender);
    assertThat(chat.sendDirectMessage(sender, receiver, "hello, friend")).isPositive();
    // The list is the receiver's: being on the sender's list does not help anyone else.
    int stranger = chat.newUser("stranger");
    chat.setFriends(stranger, receiver);
    assertThat(failure(() -> chat.sendDirectMessage(stranger, receiver, "me too")).sqlState())
        .isEqualTo("42501");
  }

  @Test
  void postingInAnExistingDirectChannelAlsoHonoursFriendsOnly() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    int dm = chat.createChannel(a, "dm", "direct", b);
    chat.postMessage(a, dm, "before");

    chat.setFriendsOnly(b, true);

    assertThat(failure(() -> chat.postMessage(a, dm, "after")).sqlState()).isEqualTo("42501");
    assertThat(chat.postMessage(b, dm, "b can still write")).isPositive();
  }

  @Test
  void sendDirectMessageRefusesMessagingOneselfAndBadBodies() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");

    assertThat(failure(() -> chat.sendDirectMessage(a, a, "me")))
        .isEqualTo(new Failure("22023", "receiver_id must differ from sender_id (both " + a + ")"));
    assertThat(failure(() -> chat.sendDirectMessage(a, b, "")))
        .isEqualTo(new Failure("22023", "message body must not be empty"));
    assertThat(failure(() -> chat.sendDirectMessage(a, b, "y".repeat(4001))))
        .isEqualTo(new Failure("22023", "message body must be at most 4000 characters (was 4001)"));
    assertThat(failure(() -> chat.sendDirectMessage(a, 999_999, "hi")))
        .isEqualTo(new Failure("P0002", "receiver_id 999999: no such user"));
  }

  @Test
  void getNewMessagesReturnsOthersUnreadMessagesOnceAndMarksThemRead() throws SQLException {
    int reader = chat.newUser("reader");
    int writer = chat.newUser("writer");
    int elsewhere = chat.newUser("elsewhere");
    int shared = chat.createChannel(writer, "shared", "private", reader);
    int notMine = chat.createChannel(elsewhere, "not-mine", "public");
    long m1 = chat.postMessage(writer, shared, "first");
    chat.postMessage(reader, shared, "my own");
    long m2 = chat.sendDirectMessage(writer, reader, "direct");
    long deleted = chat.postMessage(writer, shared, "oops");
    chat.run("SELECT chat.delete_message(?, ?)", writer, deleted);
    chat.postMessage(elsewhere, notMine, "not for reader");

    List<Map<String, Object>> first = chat.newMessages(reader);

    assertThat(first).extracting(r -> r.get("message_id")).containsExactly(m1, m2);
    assertThat(first).extracting(r -> r.get("content")).containsExactly("first", "direct");
    assertThat(first).extracting(r -> r.get("sender_id")).containsOnly(writer);
    assertThat(first).allSatisfy(r -> assertThat(r.get("read_at")).isInstanceOf(Timestamp.class));
    assertThat(
            chat.rows(
                "SELECT message_id FROM chat.message_reads WHERE user_id = ? ORDER BY message_id",
                reader))
        .extracting(r -> r.get("message_id"))
        .containsExactly(m1, m2);
    assertThat(chat.newMessages(reader)).isEmpty();

    long m3 = chat.postMessage(writer, shared, "later");
    assertThat(chat.newMessages(reader)).extracting(r -> r.get("message_id")).containsExactly(m3);
    // Reading is per user: the writer has not read the reader's message yet.
    assertThat(chat.newMessages(writer))
        .extracting(r -> r.get("content"))
        .containsExactly("my own");
  }

  @Test
  void getRecentMessagesGivesTheLatestFirstWithoutDeletedOnes() throws SQLException {
    int user = chat.newUser("recent");
    int channel = chat.createChannel(user, "recent", "public");
    chat.postMessage(user, channel, "one");
    long two = chat.postMessage(user, channel, "two");
    chat.postMessage(user, channel, "three");
    chat.run("SELECT chat.delete_message(?, ?)", user, two);
    chat.postMessage(user, channel, "four");
    String name = chat.value(String.class, "SELECT username FROM chat.users WHERE id = ?", user);

    assertThat(
            chat.rows("SELECT content, username FROM chat.get_recent_messages(?, ?)", channel, 2))
        .containsExactly(
            Map.of("content", "four", "username", name),
            Map.of("content", "three", "username", name));
    assertThat(chat.rows("SELECT content FROM chat.get_recent_messages(?)", channel))
        .extracting(r -> r.get("content"))
        .containsExactly("four", "three", "one");
    assertThat(failure(() -> chat.rows("SELECT * FROM chat.get_recent_messages(?, ?)", channel, 0)))
        .isEqualTo(new Failure("22023", "limit must be between 1 and 1000 (was 0)"));
  }

  @Test
  void onlyTheAuthorMayEditAndEditingStampsEditedAt() throws SQLException {
    int author = chat.newUser("author");
    int other = chat.newUser("other");
    int channel = chat.createChannel(author, "edits", "public");
    long id = chat.postMessage(author, channel, "draft");

    assertThat(failure(() -> chat.run("SELECT chat.edit_message(?, ?, ?)", other, id, "hijack")))
        .isEqualTo(
            new Failure(
                "42501",
                "user " + other + " may not edit message " + id + ": only its author may"));
    assertThat(failure(() -> chat.run("SELECT chat.edit_message(?, ?, ?)", author, id, "")))
        .isEqualTo(new Failure("22023", "message content must not be empty"));
    assertThat(chat.value(Timestamp.class, "SELECT edited_at FROM chat.messages WHERE id = ?", id))
        .isNull();

    chat.run("SELECT chat.edit_message(?, ?, ?)", author, id, "final");

    assertThat(
            chat.rows(
                "SELECT content, edited_at IS NOT NULL AS edited FROM chat.messages WHERE id = ?",
                id))
        .containsExactly(Map.of("content", "final", "edited", true));
  }

  @Test
  void deletingIsForTheAuthorOrChannelOwnerAndADeletedMessageCannotChange() throws SQLException {
    int owner = chat.newUser("owner");
    int author = chat.newUser("author");
    int other = chat.newUser("other");
    int channel = chat.createChannel(owner, "moderated", "public");
    long byAuthor = chat.postMessage(author, channel, "mine");
    long second = chat.postMessage(author, channel, "also mine");

    assertThat(
            failure(() -> chat.run("SELECT chat.delete_message(?, ?)", other, byAuthor)).sqlState())
        .isEqualTo("42501");
    chat.run("SELECT chat.delete_message(?, ?)", author, byAuthor);
    chat.run("SELECT chat.delete_message(?, ?)", owner, second);

    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM chat.messages WHERE id IN (?, ?) AND deleted_at IS NOT NULL",
                byAuthor,
                second))
        .isEqualTo(2L);
    assertThat(
            failure(() -> chat.run("SELECT chat.edit_message(?, ?, ?)", author, byAuthor, "undo")))
        .isEqualTo(new Failure("55000", "message " + byAuthor + " was deleted"));
    assertThat(failure(() -> chat.run("SELECT chat.delete_message(?, ?)", author, byAuthor)))
        .isEqualTo(new Failure("55000", "message " + byAuthor + " was deleted"));
    assertThat(
            failure(
                () ->
                    chat.run("UPDATE chat.messages SET deleted_at = NULL WHERE id = ?", byAuthor)))
        .isEqualTo(
            new Failure("55000", "message " + byAuthor + " was deleted and can no longer change"));
  }

  @Test
  void aReactionCountsOnceAndCanBeRemoved() throws SQLException {
    int user = chat.newUser("reactor");
    int channel = chat.createChannel(user, "reactions", "public");
    long id = chat.postMessage(user, channel, "react to me");

    assertThat(chat.value(Boolean.class, "SELECT chat.add_reaction(?, ?, ?)", user, id, "👍"))
        .isTrue();
    assertThat(chat.value(Boolean.class, "SELECT chat.add_reaction(?, ?, ?)", user, id, "👍"))
        .isFalse();
    assertThat(
            chat.value(Long.class, "SELECT count(*) FROM chat.reactions WHERE message_id = ?", id))
        .isEqualTo(1L);
    assertThat(chat.value(Boolean.class, "SELECT chat.remove_reaction(?, ?, ?)", user, id, "👍"))
        .isTrue();
    assertThat(chat.value(Boolean.class, "SELECT chat.remove_reaction(?, ?, ?)", user, id, "👍"))
        .isFalse();
    assertThat(
            failure(() -> chat.run("SELECT chat.add_reaction(?, ?, ?)", user, id, " ")).message())
        .isEqualTo("reaction must be 1 to 50 characters, not blank (was \" \")");
  }

  @Test
  void reactingInAPrivateChannelIsForMembersOnly() throws SQLException {
    int owner = chat.newUser("owner");
    int outsider = chat.newUser("outsider");
    int channel = chat.createChannel(owner, "private", "private");
    long id = chat.postMessage(owner, channel, "members only");

    assertThat(failure(() -> chat.run("SELECT chat.add_reaction(?, ?, ?)", outsider, id, "👀")))
        .isEqualTo(
            new Failure(
                "42501", "user " + outsider + " is not a member of private channel " + channel));
  }

  private boolean isMember(int user, int channel) throws SQLException {
    return chat.value(
        Boolean.class,
        "SELECT EXISTS (SELECT 1 FROM chat.channel_members WHERE user_id = ? AND channel_id = ?)",
        user,
        channel);
  }
}
