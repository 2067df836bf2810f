package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zgres.chat.ChatEvents.Event;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.TestServers;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL metacharacters, quotes, backslashes, LIKE and regex wildcards and unicode in every text
 * field.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileTextIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PgEndpoint db;
  private ChatApi chat;

  static Stream<String> hostile() {
    return Stream.of(
        "'; DROP TABLE chat.users; --",
        "Robert'); DELETE FROM chat.messages; --",
        "quote' double\" backslash\\ \\n (not a newline) \\\\ two",
        "100% _wild_ %% __ [abc] .* ^$ (?:x) \\d+ \\y",
        "unicode é ✓ 🙂 日本語 עברית \u200b zero-width",
        "$$ dollar $body$ ${placeholder} :named ? $1",
        "line\nbreak\ttab\r\nwindows",
        "{\"looks\": \"like json\"}",
        "E'\\x41' U&'\\0041' /* comment */ ;");
  }

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  @BeforeEach
  void connect() throws SQLException {
    chat = ChatApi.connect(db);
  }

  @AfterEach
  void tablesSurvive() throws SQLException {
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'chat' AND tablename IN ('users', 'messages')"))
        .isEqualTo(2L);
    chat.close();
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void passwordsAndEmailsAreStoredAndCheckedVerbatim(String text) throws SQLException {
    String name = ChatApi.uniqueUsername("pw");
    String password = fitBytes(text, 72);
    String email = text.replaceAll("[\\s@]", "_") + "@example.org";

    int id = chat.registerUser(name, password, email);

    assertThat(chat.login(name, password)).isEqualTo(id);
    assertThat(chat.value(String.class, "SELECT email FROM chat.users WHERE id = ?", id))
        .isEqualTo(email);
    assertThat(failure(() -> chat.login(name, password + "x")).message())
        .isEqualTo("invalid username or password");
    assertThat(failure(() -> chat.login(text, password)).message())
        .isEqualTo("invalid username or password");
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void hostileUsernamesAreRefusedWithTheirTextShown(String text) {
    ChatApi.Failure f = failure(() -> chat.registerUser(text, ChatApi.PASSWORD, "x@example.org"));

    assertThat(f.sqlState()).isEqualTo("22023");
    assertThat(f.message())
        .startsWith("username must be 3 to 32 letters, digits or underscores (was \"");
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void messageTextArrivesVerbatimInTheTableTheEventsAndTheReads(String text) throws SQLException {
    int writer = chat.newUser("w");
    int reader = chat.newUser("r");
    int channel = chat.createChannel(writer, text, "private", reader);
    try (ChatEvents events = ChatEvents.listen(db)) {
      long posted = chat.postMessage(writer, channel, text);
      long direct = chat.sendDirectMessage(writer, reader, text + " (direct)");
      long edited = chat.postMessage(writer, channel, "to be edited");
      chat.run("SELECT chat.edit_message(?, ?, ?)", writer, edited, text + " (edited)");

      assertThat(chat.value(String.class, "SELECT name FROM chat.channels WHERE id = ?", channel))
          .isEqualTo(text);
      assertThat(contentOf(posted)).isEqualTo(text);
      assertThat(contentOf(direct)).isEqualTo(text + " (direct)");
      assertThat(contentOf(edited)).isEqualTo(text + " (edited)");
      assertThat(chat.newMessages(reader))
          .extracting(r -> r.get("content"))
          .containsExactly(text, text + " (direct)", text + " (edited)");
      assertThat(chat.rows("SELECT content FROM chat.get_recent_messages(?, 1)", channel))
          .containsExactly(Map.of("content", text + " (edited)"));

      Event created =
          events.awaitFirst(
              "message_created for " + posted,
              e ->
                  e.json().path("message_id").asLong() == posted
                      && e.event().equals("message_created"));
      assertThat(created.json().get("content").asText()).isEqualTo(text);
      Event edit =
          events.awaitFirst(
              "message_edited for " + edited,
              e ->
                  e.json().path("message_id").asLong() == edited
                      && e.event().equals("message_edited"));
      assertThat(edit.json().get("content").asText()).isEqualTo(text + " (edited)");
    }
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void reactionsArriveVerbatim(String text) throws SQLException {
    int user = chat.newUser("react");
    int channel = chat.createChannel(user, "reactions", "public");
    long message = chat.postMessage(user, channel, "react");
    String reaction = firstCodePoints(text, 50);
    try (ChatEvents events = ChatEvents.listen(db)) {
      chat.run("SELECT chat.add_reaction(?, ?, ?)", user, message, reaction);

      assertThat(
              chat.value(
                  String.class,
                  "SELECT reaction FROM chat.reactions WHERE message_id = ?",
                  message))
          .isEqualTo(reaction);
      assertThat(
              events.awaitOn("chat_message_" + channel, 1).get(0).json().get("reaction").asText())
          .isEqualTo(reaction);
      assertThat(
              chat.value(
                  Boolean.class, "SELECT chat.remove_reaction(?, ?, ?)", user, message, reaction))
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void keywordsMatchOnlyTheirLiteralText(String text) throws SQLException {
    int receiver = chat.newUser("kw");
    int sender = chat.newUser("snd");
    int channel = chat.createChannel(sender, "keywords", "public", receiver);
    chat.run(
        "SELECT chat.set_notification_preferences(?, ?, 'mentions', ?, NULL)",
        receiver,
        channel,
        chat.textArray(text));
    long literal = chat.postMessage(sender, channel, "before " + text + " after");
    long other = chat.postMessage(sender, channel, "nothing to see here");

    assertThat(shouldNotify(receiver, literal)).isTrue();
    assertThat(shouldNotify(receiver, other)).isFalse();
    assertThat(
            chat.value(
                    Array.class,
                    "SELECT keywords FROM chat.notification_preferences WHERE user_id = ?",
                    receiver)
                .getArray())
        .isEqualTo(new String[] {text});
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void workerTextArrivesVerbatim(String text) throws SQLException {
    int user = chat.newUser("ai");
    int channel = chat.createChannel(user, "worker", "public");
    long message = chat.postMessage(user, channel, "@ai " + text);
    String worker = firstCodePoints(text, 100);
    chat.run(
        "UPDATE chat.ai_response_queue SET status = 'done' WHERE status = 'pending' AND message_id <> ?",
        message);
    List<Map<String, Object>> claimed =
        chat.rows("SELECT * FROM chat.claim_ai_requests(?, 1)", worker);
    assertThat(claimed).extracting(r -> r.get("content")).containsExactly("@ai " + text);
    long request = (Long) claimed.get(0).get("request_id");

    long reply =
        chat.value(Long.class, "SELECT chat.complete_ai_request(?, ?, ?)", request, text, worker);
    chat.run(
        "SELECT chat.save_conversation_summary(?, ?, ?, NULL)",
        channel,
        text,
        chat.textArray(text, text + "2"));
    chat.run("SELECT chat.flag_message(?, 'warning', ?)", message, chat.textArray(text));

    assertThat(contentOf(reply)).isEqualTo(text);
    assertThat(
            chat.value(
                String.class,
                "SELECT claimed_by FROM chat.ai_response_queue WHERE id = ?",
                request))
        .isEqualTo(worker);
    assertThat(
            chat.value(
                String.class,
                "SELECT summary FROM chat.conversation_memory WHERE channel_id = ?",
                channel))
        .isEqualTo(text);
    assertThat(
            chat.value(
                    Array.class,
                    "SELECT key_points FROM chat.conversation_memory WHERE channel_id = ?",
                    channel)
                .getArray())
        .isEqualTo(new String[] {text, text + "2"});
    assertThat(
            chat.value(
                    Array.class,
                    "SELECT reasons FROM chat.moderation_queue WHERE message_id = ?",
                    message)
                .getArray())
        .isEqualTo(new String[] {text});
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void websocketPayloadsArriveVerbatim(String text) throws Exception {
    int user = chat.newUser("ws");
    int channel = chat.createChannel(user, "ws", "public");
    ObjectNode data = JSON.createObjectNode().put("text", text).put(text, "as a key");
    try (ChatEvents events = ChatEvents.listen(db, "websocket_event")) {
      chat.run(
          "SELECT chat.queue_websocket_event('custom', ?, ?::jsonb, ?)",
          channel,
          JSON.writeValueAsString(data),
          user);

      JsonNode got = events.awaitOn("websocket_event", 1).get(0).json().get("data");
      assertThat(got.get("text").asText()).isEqualTo(text);
      assertThat(got.get(text).asText()).isEqualTo("as a key");
    }
  }

  @Test
  void hostileChoicesAreRefusedShowingTheValue() throws SQLException {
    int user = chat.newUser("choices");
    int channel = chat.createChannel(user, "choices", "public");
    long message = chat.postMessage(user, channel, "x");
    String text = "'; DROP TABLE chat.users; --";

    assertThat(failure(() -> chat.createChannel(user, "x", text)).message())
        .isEqualTo("channel_type must be public, private or direct (was \"" + text + "\")");
    assertThat(failure(() -> chat.run("SELECT chat.set_presence(?, ?)", user, text)).message())
        .isEqualTo("status must be online, away, busy or offline (was \"" + text + "\")");
    assertThat(
            failure(() -> chat.run("SELECT chat.queue_websocket_event(?, ?, '{}')", text, channel))
                .message())
        .contains("(was \"" + text + "\")");
    assertThat(
            failure(() -> chat.run("SELECT chat.flag_message(?, ?, NULL)", message, text))
                .message())
        .isEqualTo("risk_level must be warning or unsafe (was \"" + text + "\")");
    assertThat(
            failure(
                    () ->
                        chat.run(
                            "SELECT chat.set_notification_preferences(?, ?, ?)",
                            user,
                            channel,
                            text))
                .message())
        .isEqualTo(
            "notification level must be all, mentions, important or none (was \"" + text + "\")");
  }

  private String contentOf(long message) throws SQLException {
    return chat.value(String.class, "SELECT content FROM chat.messages WHERE id = ?", message);
  }

  private boolean shouldNotify(int user, long message) throws SQLException {
    return chat.value(
        Boolean.class,
        "SELECT chat.should_notify_user(?, ?, '2024-01-15T12:00:00Z')",
        user,
        message);
  }

  private static String firstCodePoints(String text, int max) {
    return text.codePoints()
        .limit(max)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  private static String fitBytes(String text, int maxBytes) {
    String out = text;
    while (out.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      out = firstCodePoints(out, out.codePointCount(0, out.length()) - 1);
    }
    return out;
  }
}
