package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.testkit.ChatApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatSchemaIT extends ChatFixture {
  private static final List<String> CHAT_MIGRATIONS =
      List.of(
          "V010__chat_schema.sql",
          "V011__chat_users.sql",
          "V012__chat_channels_messages.sql",
          "V013__chat_events.sql",
          "V014__chat_notifications_analytics.sql",
          "V015__chat_workers.sql",
          "V016__chat_ai.sql");

  @Test
  void chatMigrationsCanBeRunAgainOverThemselvesKeepingTheData() throws SQLException, IOException {
    int user = chat.newUser("keep");
    int channel = chat.createChannel(user, "keep", "public");
    long message = chat.postMessage(user, channel, "still here");

    try (Statement s = chat.connection().createStatement()) {
      for (String migration : CHAT_MIGRATIONS) {
        s.execute(read(migration));
      }
    }

    assertThat(chat.value(String.class, "SELECT content FROM chat.messages WHERE id = ?", message))
        .isEqualTo("still here");
    assertThat(
            chat.login(
                chat.value(String.class, "SELECT username FROM chat.users WHERE id = ?", user),
                ChatApi.PASSWORD))
        .isEqualTo(user);
    assertThat(chat.postMessage(user, channel, "and working")).isPositive();
  }

  @Test
  void tableConstraintsHoldForWritesThatBypassTheFunctions() throws SQLException {
    int user = chat.newUser("direct");
    int channel = chat.createChannel(user, "direct writes", "public");

    assertThat(failure(() -> insertMessage(channel, user, "x".repeat(4001))).message())
        .contains("messages_content_max_length");
    assertThat(failure(() -> insertMessage(channel, user, " \n ")).message())
        .contains("messages_content_not_empty");
    assertThat(
            failure(
                    () ->
                        chat.run(
                            "INSERT INTO chat.users (username, password_hash, email) VALUES (?, 'h', ?)",
                            "bad name",
                            "x@example.org"))
                .message())
        .contains("users_username_format");
    assertThat(
            failure(
                    () ->
                        chat.run(
                            "INSERT INTO chat.channels (name, channel_type) VALUES ('dm', 'direct')"))
                .message())
        .contains("channels_direct_pair");
    long message = chat.postMessage(user, channel, "valid");
    ChatApi.Failure sentiment =
        failure(() -> chat.run("UPDATE chat.messages SET sentiment = 2 WHERE id = ?", message));
    assertThat(sentiment.sqlState()).isEqualTo("23514");
    assertThat(sentiment.message()).contains("messages_sentiment_range");
  }

  @Test
  void deletingAUserKeepsTheirMessagesForTheOthersWithoutAnAuthor() throws SQLException {
    int owner = chat.newUser("owner");
    int leaver = chat.newUser("leaver");
    int channel = chat.createChannel(owner, "stays", "public");
    long message = chat.postMessage(leaver, channel, "I was here");
    long direct = chat.sendDirectMessage(owner, leaver, "bye");
    int directChannel =
        chat.value(Integer.class, "SELECT channel_id FROM chat.messages WHERE id = ?", direct);

    chat.run("DELETE FROM chat.users WHERE id = ?", leaver);

    assertThat(chat.rows("SELECT user_id, content FROM chat.messages WHERE id = ?", message))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("user_id")).isNull();
              assertThat(r.get("content")).isEqualTo("I was here");
            });
    // A direct channel has no meaning without both users: it goes, and so does its registration.
    assertThat(
            chat.value(
                Long.class, "SELECT count(*) FROM chat.channels WHERE id = ?", directChannel))
        .isZero();
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM zgres.channel_registry WHERE channel = ?",
                "chat_message_" + directChannel))
        .isZero();
  }

  private void insertMessage(int channel, int user, String content) throws SQLException {
    chat.run(
        "INSERT INTO chat.messages (channel_id, user_id, content) VALUES (?, ?, ?)",
        channel,
        user,
        content);
  }

  private static String read(String migration) throws IOException {
    try (InputStream in = ChatSchemaIT.class.getResourceAsStream("/zgres/sql/" + migration)) {
      if (in == null) {
        throw new IOException("migration " + migration + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
