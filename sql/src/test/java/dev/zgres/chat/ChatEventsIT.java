package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.chat.ChatEvents.Event;
import dev.zgres.chat.ChatEvents.Path;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.io.IOException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatEventsIT extends ChatFixture {

  @Test
  void aMessageInAChannelCreatedInTheSameTransactionIsRelayedAndTheChannelRegistered()
      throws SQLException {
    int user = chat.newUser("fresh");
    try (ChatEvents events = ChatEvents.listen(db, "zgres_control")) {
      chat.connection().setAutoCommit(false);
      int channel = chat.createChannel(user, "brand new", "public");
      long message = chat.postMessage(user, channel, "first words");
      chat.connection().commit();
      chat.connection().setAutoCommit(true);
      String name = "chat_message_" + channel;

      assertThat(events.awaitOn("zgres_control", 1).get(0).payload()).isEqualTo("+" + name);
      Event created =
          events.awaitFirst(
              "message_created on " + name,
              e -> e.channel().equals(name) && e.event().equals("message_created"));
      assertThat(created.path()).isEqualTo(Path.RELAYED);
      assertThat(created.json().get("message_id").asLong()).isEqualTo(message);
      assertThat(created.json().get("content").asText()).isEqualTo("first words");
      assertThat(
              chat.value(
                  Long.class,
                  "SELECT count(*) FROM zgres.channel_registry WHERE channel = ? AND listened_at IS NULL",
                  name))
          .isEqualTo(1L);
    }
  }

  @Test
  void theRelayCarriesTheChannelNameANewlineAndThePayloadVerbatim()
      throws SQLException, IOException {
    int user = chat.newUser("raw");
    int channel = chat.createChannel(user, "raw", "public");
    String name = "chat_message_" + channel;
    try (ChatApi raw = ChatApi.connect(db)) {
      raw.run("LISTEN zgres_relay");
      long message = chat.postMessage(user, channel, "line one\nline two");

      PGNotification n = awaitOneNotification(raw);
      assertThat(n.getName()).isEqualTo("zgres_relay");
      assertThat(n.getParameter()).startsWith("d:" + name + "\n{");
      JsonNode payload =
          new ObjectMapper()
              .readTree(n.getParameter().substring(n.getParameter().indexOf('\n') + 1));
      assertThat(payload.get("message_id").asLong()).isEqualTo(message);
      assertThat(payload.get("content").asText()).isEqualTo("line one\nline two");
    }
  }

  @Test
  void messageCreatedCarriesTheSeedFieldsOnItsOwnChannelOnceABridgeListens() throws SQLException {
    int user = chat.newUser("seed");
    int channel = chat.createChannel(user, "seed fields", "public");
    String name = "chat_message_" + channel;
    chat.run("SELECT zgres.mark_listened(ARRAY[?])", name);
    try (ChatEvents events = ChatEvents.listen(db, name)) {
      long message = chat.postMessage(user, channel, "payload check");

      Event event = events.awaitOn(name, 1).get(0);
      JsonNode p = event.json();
      assertThat(event.path()).isEqualTo(Path.DIRECT);
      assertThat(p.get("event").asText()).isEqualTo("message_created");
      assertThat(p.get("message_id").asLong()).isEqualTo(message);
      assertThat(p.get("channel_id").asInt()).isEqualTo(channel);
      assertThat(p.get("user_id").asInt()).isEqualTo(user);
      assertThat(p.get("username").asText()).startsWith("seed_");
      assertThat(p.get("content").asText()).isEqualTo("payload check");
      assertThat(p.get("message_type").asText()).isEqualTo("user");
      assertThat(OffsetDateTime.parse(p.get("created_at").asText()))
          .isAfter(OffsetDateTime.now().minusMinutes(5));
    }
  }

  @Test
  void editsReactionsAndDeletionsAreEmittedOnTheMessagesChannelInOrder() throws SQLException {
    int user = chat.newUser("life");
    int channel = chat.createChannel(user, "lifecycle", "public");
    String name = "chat_message_" + channel;
    long message = chat.postMessage(user, channel, "v1");
    try (ChatEvents events = ChatEvents.listen(db)) {
      chat.run("SELECT chat.edit_message(?, ?, ?)", user, message, "v2");
      chat.run("SELECT chat.add_reaction(?, ?, ?)", user, message, "🎉");
      chat.run("SELECT chat.remove_reaction(?, ?, ?)", user, message, "🎉");
      chat.run("SELECT chat.delete_message(?, ?)", user, message);

      List<Event> got = events.awaitOn(name, 4);
      assertThat(got)
          .extracting(Event::event)
          .containsExactly(
              "message_edited", "reaction_added", "reaction_removed", "message_deleted");
      assertThat(got)
          .allSatisfy(
              e -> {
                assertThat(e.json().get("message_id").asLong()).isEqualTo(message);
                assertThat(e.json().get("channel_id").asInt()).isEqualTo(channel);
                assertThat(e.json().get("user_id").asInt()).isEqualTo(user);
              });
      assertThat(got.get(0).json().get("content").asText()).isEqualTo("v2");
      assertThat(got.get(0).json().get("edited_at").isTextual()).isTrue();
      assertThat(got.get(1).json().get("reaction").asText()).isEqualTo("🎉");
      assertThat(got.get(3).json().has("content")).isFalse();
      assertThat(got.get(3).json().get("deleted_at").isTextual()).isTrue();
    }
  }

  @Test
  void storingAnalysisIsNotAnEditAndEmitsNothingWhileAFlagEmitsMessageModerated()
      throws SQLException {
    int user = chat.newUser("quiet");
    int channel = chat.createChannel(user, "analysis", "public");
    String name = "chat_message_" + channel;
    long message = chat.postMessage(user, channel, "analyse me");
    try (ChatEvents events = ChatEvents.listen(db)) {
      chat.run(
          "SELECT chat.store_message_analysis(?, ?, ?)", message, chat.realArray(0.1f, 0.2f), 0.5f);
      chat.run("SELECT chat.flag_message(?, 'warning', ARRAY['test'])", message);
      chat.run("SELECT chat.edit_message(?, ?, ?)", user, message, "edited after analysis");

      // Had the analysis emitted anything, it would come first on the channel.
      assertThat(events.awaitOn(name, 2))
          .extracting(ChatEvents.Event::event)
          .containsExactly("message_moderated", "message_edited");
    }
  }

  @Test
  void aPayloadTooBigForOneNotificationIsSpilledWithItsTextIntact() throws SQLException {
    int user = chat.newUser("big");
    int channel = chat.createChannel(user, "big", "public");
    String longest = "🙂".repeat(4000);
    try (ChatEvents events = ChatEvents.listen(db)) {
      chat.postMessage(user, channel, longest);

      Event event = events.awaitOn("chat_message_" + channel, 1).get(0);
      assertThat(event.path()).isEqualTo(Path.SPILLED);
      assertThat(event.json().get("content").asText()).isEqualTo(longest);
    }
  }

  @Test
  void aTypingIndicatorIsAWebsocketEventKeyedByChannelWithTheUser() throws SQLException {
    int user = chat.newUser("typist");
    int channel = chat.createChannel(user, "typing", "public");
    try (ChatEvents events = ChatEvents.listen(db, "websocket_event")) {
      chat.run("SELECT chat.handle_typing_indicator(?, ?, true)", channel, user);
      assertThat(chat.rows("SELECT user_id FROM chat.get_typing_users(?)", channel))
          .extracting(r -> r.get("user_id"))
          .containsExactly(user);
      chat.run("SELECT chat.handle_typing_indicator(?, ?, false)", channel, user);
      assertThat(chat.rows("SELECT user_id FROM chat.get_typing_users(?)", channel)).isEmpty();

      List<Event> got = events.awaitOn("websocket_event", 2);
      JsonNode typing = got.get(0).json();
      assertThat(typing.get("event_type").asText()).isEqualTo("typing_indicator");
      assertThat(typing.get("channel_id").asInt()).isEqualTo(channel);
      assertThat(typing.get("user_id").asInt()).isEqualTo(user);
      assertThat(typing.get("data").get("is_typing").asBoolean()).isTrue();
      assertThat(typing.get("event_id").asLong()).isPositive();
      assertThat(got.get(1).json().get("data").get("is_typing").asBoolean()).isFalse();
    }
  }

  @Test
  void typingInAPrivateChannelIsForMembersOnly() throws SQLException {
    int owner = chat.newUser("owner");
    int outsider = chat.newUser("outsider");
    int channel = chat.createChannel(owner, "private typing", "private");

    assertThat(
            failure(
                () ->
                    chat.run("SELECT chat.handle_typing_indicator(?, ?, true)", channel, outsider)))
        .isEqualTo(
            new Failure(
                "42501", "user " + outsider + " is not a member of private channel " + channel));
  }

  @Test
  void presenceIsEmittedOnlyWhenItChangesWithANullChannel() throws SQLException {
    int user = chat.newUser("present");
    try (ChatEvents events = ChatEvents.listen(db, "websocket_event")) {
      chat.run("SELECT chat.set_presence(?, 'online')", user);
      chat.run("SELECT chat.set_presence(?, 'online')", user);
      chat.run("SELECT chat.set_presence(?, 'away')", user);

      List<Event> got = events.awaitOn("websocket_event", 2);
      assertThat(got).extracting(e -> e.json().get("event_type").asText()).containsOnly("presence");
      assertThat(got)
          .allSatisfy(
              e -> {
                assertThat(e.json().get("channel_id").isNull()).isTrue();
                assertThat(e.json().get("user_id").asInt()).isEqualTo(user);
              });
      assertThat(got)
          .extracting(e -> e.json().get("data").get("status").asText())
          .containsExactly("online", "away");
      assertThat(got.get(1).json().get("data").get("previous_status").asText()).isEqualTo("online");
      assertThat(
              chat.value(
                  Long.class,
                  "SELECT count(*) FROM chat.websocket_events WHERE user_id = ? AND event_type = 'presence'",
                  user))
          .isEqualTo(2L);
    }
    assertThat(failure(() -> chat.run("SELECT chat.set_presence(?, 'invisible')", user)))
        .isEqualTo(
            new Failure(
                "22023", "status must be online, away, busy or offline (was \"invisible\")"));
  }

  @Test
  void queueWebsocketEventPublishesAnyObjectAndRefusesBadTypesOrPayloads() throws SQLException {
    int user = chat.newUser("ws");
    int channel = chat.createChannel(user, "ws", "public");
    try (ChatEvents events = ChatEvents.listen(db, "websocket_event")) {
      long id =
          chat.value(
              Long.class,
              "SELECT chat.queue_websocket_event('read_receipt', ?, ?::jsonb, ?)",
              channel,
              "{\"upto\": 42, \"note\": \"a \\\"quoted\\\" word\"}",
              user);

      JsonNode p = events.awaitOn("websocket_event", 1).get(0).json();
      assertThat(p.get("event_id").asLong()).isEqualTo(id);
      assertThat(p.get("event_type").asText()).isEqualTo("read_receipt");
      assertThat(p.get("data").get("note").asText()).isEqualTo("a \"quoted\" word");
    }
    assertThat(
            failure(
                    () ->
                        chat.run("SELECT chat.queue_websocket_event('Bad Type', ?, '{}')", channel))
                .message())
        .startsWith("event_type must be 1 to 50 lower-case letters");
    assertThat(
            failure(() -> chat.run("SELECT chat.queue_websocket_event('ok', ?, '[1]')", channel)))
        .isEqualTo(new Failure("22023", "payload must be a JSON object (was a JSON array)"));
    assertThat(failure(() -> chat.run("SELECT chat.queue_websocket_event('ok', 999999, '{}')")))
        .isEqualTo(new Failure("P0002", "channel_id 999999: no such channel"));
  }

  @Test
  void deletingAChannelTellsBridgesToStopListening() throws SQLException {
    int user = chat.newUser("gone");
    int channel = chat.createChannel(user, "short lived", "public");
    try (ChatEvents events = ChatEvents.listen(db, "zgres_control")) {
      chat.run("DELETE FROM chat.channels WHERE id = ?", channel);

      assertThat(events.awaitOn("zgres_control", 1).get(0).payload())
          .isEqualTo("-chat_message_" + channel);
    }
  }

  private static PGNotification awaitOneNotification(ChatApi listener) throws SQLException {
    PGConnection pg = listener.connection().unwrap(PGConnection.class);
    PGNotification[] batch = pg.getNotifications((int) ChatEvents.DEADLINE.toMillis());
    if (batch == null || batch.length == 0) {
      throw new AssertionError("no notification within " + ChatEvents.DEADLINE);
    }
    return batch[0];
  }
}
