package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import dev.zgres.testkit.TestServers;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NotificationsIT {
  private static final String NIGHT = "{\"start\": \"22:00\", \"end\": \"08:00\"}";
  private static PgEndpoint db;
  private ChatApi chat;
  private int receiver;
  private String receiverName;
  private int sender;
  private int channel;

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  @BeforeEach
  void users() throws SQLException {
    chat = ChatApi.connect(db);
    receiver = chat.newUser("rcv");
    receiverName =
        chat.value(String.class, "SELECT username FROM chat.users WHERE id = ?", receiver);
    sender = chat.newUser("snd");
    channel = chat.createChannel(sender, "notify", "public", receiver);
  }

  @AfterEach
  void disconnect() throws SQLException {
    chat.close();
  }

  @Test
  void withoutPreferencesEveryMessageNotifies() throws SQLException {
    long message = chat.postMessage(sender, channel, "anything");

    assertThat(notify(message, "2024-01-15T03:00:00Z")).isTrue();
  }

  @Test
  void ownDeletedAndUnreadableMessagesNeverNotify() throws SQLException {
    long own = chat.postMessage(receiver, channel, "mine");
    long deleted = chat.postMessage(sender, channel, "gone");
    chat.run("SELECT chat.delete_message(?, ?)", sender, deleted);
    int hidden = chat.createChannel(sender, "hidden", "private");
    long secret = chat.postMessage(sender, hidden, "secret");

    assertThat(notify(own, "2024-01-15T12:00:00Z")).isFalse();
    assertThat(notify(deleted, "2024-01-15T12:00:00Z")).isFalse();
    assertThat(notify(secret, "2024-01-15T12:00:00Z")).isFalse();
    assertThat(failure(() -> notify(999_999_999L, "2024-01-15T12:00:00Z")))
        .isEqualTo(new Failure("P0002", "message_id 999999999: no such message"));
  }

  @Test
  void quietHoursAcrossMidnightSilenceTheNightAndNotTheDay() throws SQLException {
    setPreferences("all", NIGHT);
    long message = chat.postMessage(sender, channel, "hello");

    assertThat(notify(message, "2024-01-15T21:59:00Z")).isTrue();
    assertThat(notify(message, "2024-01-15T22:00:00Z")).isFalse();
    assertThat(notify(message, "2024-01-15T23:30:00Z")).isFalse();
    assertThat(notify(message, "2024-01-16T00:00:00Z")).isFalse();
    assertThat(notify(message, "2024-01-16T03:00:00Z")).isFalse();
    assertThat(notify(message, "2024-01-16T07:59:00Z")).isFalse();
    assertThat(notify(message, "2024-01-16T08:00:00Z")).isTrue();
    assertThat(notify(message, "2024-01-16T12:00:00Z")).isTrue();
  }

  @Test
  void quietHoursWithinOneDayCoverOnlyThatSpan() throws SQLException {
    setPreferences("all", "{\"start\": \"13:00\", \"end\": \"14:00\"}");
    long message = chat.postMessage(sender, channel, "lunch?");

    assertThat(notify(message, "2024-01-15T12:59:00Z")).isTrue();
    assertThat(notify(message, "2024-01-15T13:00:00Z")).isFalse();
    assertThat(notify(message, "2024-01-15T13:59:00Z")).isFalse();
    assertThat(notify(message, "2024-01-15T14:00:00Z")).isTrue();
    assertThat(notify(message, "2024-01-15T23:00:00Z")).isTrue();
  }

  @Test
  void quietHoursAreInTheUsersTimeZone() throws SQLException {
    setPreferences(
        "all", "{\"start\": \"22:00\", \"end\": \"08:00\", \"time_zone\": \"America/New_York\"}");
    long message = chat.postMessage(sender, channel, "across the ocean");

    // New York is UTC-5 in January.
    assertThat(notify(message, "2024-01-15T02:00:00Z")).isTrue(); // 21:00 there
    assertThat(notify(message, "2024-01-15T04:00:00Z")).isFalse(); // 23:00
    assertThat(notify(message, "2024-01-15T12:30:00Z")).isFalse(); // 07:30
    assertThat(notify(message, "2024-01-15T13:30:00Z")).isTrue(); // 08:30
  }

  @Test
  void equalStartAndEndMeansNoQuietHours() throws SQLException {
    setPreferences("all", "{\"start\": \"09:00\", \"end\": \"09:00\"}");
    long message = chat.postMessage(sender, channel, "any time");

    assertThat(notify(message, "2024-01-15T09:00:00Z")).isTrue();
    assertThat(notify(message, "2024-01-15T21:00:00Z")).isTrue();
  }

  @Test
  void quietHoursSilenceEvenMentions() throws SQLException {
    setPreferences("mentions", NIGHT);
    long message = chat.postMessage(sender, channel, "@" + receiverName + " are you up?");

    assertThat(notify(message, "2024-01-15T23:00:00Z")).isFalse();
    assertThat(notify(message, "2024-01-15T09:00:00Z")).isTrue();
  }

  @Test
  void atMentionsLevelOnlyAWholeWordMentionNotifies() throws SQLException {
    setPreferences("mentions", null);

    assertThat(notifyFor("hi @" + receiverName + "!")).isTrue();
    assertThat(notifyFor("@" + receiverName.toUpperCase())).isTrue();
    assertThat(notifyFor("(@" + receiverName + ")")).isTrue();
    assertThat(notifyFor("hi " + receiverName)).isFalse();
    assertThat(notifyFor("hi @" + receiverName + "_junior")).isFalse();
    assertThat(notifyFor("mail x@" + receiverName)).isFalse();
    assertThat(notifyFor("nothing for you")).isFalse();
  }

  @Test
  void anUnderscoreInAUsernameIsNotAWildcard() throws SQLException {
    // receiverName is "rcv_<n>": as a LIKE pattern "_" would also match "rcvX<n>".
    setPreferences("mentions", null);

    assertThat(notifyFor("@" + receiverName.replace('_', 'X'))).isFalse();
  }

  @Test
  void keywordsAreMatchedAsPlainTextInAnyCaseNeverAsPatterns() throws SQLException {
    chat.run(
        "SELECT chat.set_notification_preferences(?, ?, 'mentions', ?, NULL)",
        receiver,
        channel,
        chat.textArray(".*", "C++", "100%", "a_b", "((", "Ünïcode"));

    assertThat(notifyFor("hello there")).isFalse();
    assertThat(notifyFor("I like c++ a lot")).isTrue();
    assertThat(notifyFor("100% sure")).isTrue();
    assertThat(notifyFor("100 percent")).isFalse();
    assertThat(notifyFor("axb")).isFalse();
    assertThat(notifyFor("a_b")).isTrue();
    assertThat(notifyFor("smile ((")).isTrue();
    assertThat(notifyFor("say Ünïcode")).isTrue();
  }

  @Test
  void importantLevelNotifiesForUrgentWordsOrAHighImportanceScore() throws SQLException {
    setPreferences("important", null);

    assertThat(notifyFor("lunch at noon")).isFalse();
    assertThat(notifyFor("URGENT: the build is red")).isTrue();
    assertThat(notifyFor("need this asap")).isTrue();
    long scored = chat.postMessage(sender, channel, "a plain status line");
    chat.run("UPDATE chat.messages SET metadata = '{\"importance\": 0.9}' WHERE id = ?", scored);
    assertThat(notify(scored, "2024-01-15T12:00:00Z")).isTrue();
    chat.run("UPDATE chat.messages SET metadata = '{\"importance\": 0.5}' WHERE id = ?", scored);
    assertThat(notify(scored, "2024-01-15T12:00:00Z")).isFalse();
  }

  @Test
  void levelNoneNeverNotifiesEvenForAMention() throws SQLException {
    setPreferences("none", null);

    assertThat(notifyFor("@" + receiverName + " urgent!")).isFalse();
  }

  @Test
  void setNotificationPreferencesRefusesBadValuesNamingThem() throws SQLException {
    assertThat(failure(() -> setPreferences("sometimes", null)))
        .isEqualTo(
            new Failure(
                "22023",
                "notification level must be all, mentions, important or none (was \"sometimes\")"));
    assertThat(
            failure(() -> setPreferences("all", "{\"start\": \"25:00\", \"end\": \"08:00\"}"))
                .message())
        .startsWith("quiet_hours must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}");
    assertThat(failure(() -> setPreferences("all", "{\"start\": \"22:00\"}")).sqlState())
        .isEqualTo("22023");
    assertThat(
            failure(
                () ->
                    setPreferences(
                        "all",
                        "{\"start\": \"22:00\", \"end\": \"08:00\", \"time_zone\": \"Mars/Olympus\"}")))
        .isEqualTo(
            new Failure(
                "22023",
                "quiet_hours.time_zone must be a time zone name such as Europe/Paris (was \"Mars/Olympus\")"));
    assertThat(
            failure(
                () ->
                    chat.run(
                        "SELECT chat.set_notification_preferences(?, ?, 'all', ?, NULL)",
                        receiver,
                        channel,
                        chat.textArray("ok", " "))))
        .isEqualTo(new Failure("22023", "keywords must each be 1 to 100 characters, not blank"));

    setPreferences("important", NIGHT);
    setPreferences("mentions", null);
    assertThat(
            chat.rows(
                "SELECT notification_level, quiet_hours FROM chat.notification_preferences "
                    + "WHERE user_id = ? AND channel_id = ?",
                receiver,
                channel))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("notification_level")).isEqualTo("mentions");
              assertThat(r.get("quiet_hours")).isNull();
            });
  }

  private void setPreferences(String level, String quietHours) throws SQLException {
    chat.run(
        "SELECT chat.set_notification_preferences(?, ?, ?, '{}', ?::jsonb)",
        receiver,
        channel,
        level,
        quietHours);
  }

  private boolean notifyFor(String content) throws SQLException {
    return notify(chat.postMessage(sender, channel, content), "2024-01-15T12:00:00Z");
  }

  private boolean notify(long message, String at) throws SQLException {
    return chat.value(
        Boolean.class,
        "SELECT chat.should_notify_user(?, ?, ?::timestamptz)",
        receiver,
        message,
        at);
  }
}
