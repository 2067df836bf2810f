package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.chat.ChatEvents.Event;
import dev.zgres.testkit.ChatApi.Failure;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SQL of V016: what the AI worker and the moderator store, and what users read back. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChatAiIT extends ChatFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  private long analysed(int user, int channel, String content, float... embedding)
      throws SQLException {
    long id = chat.postMessage(user, channel, content);
    chat.run("SELECT chat.store_message_analysis(?, ?, NULL)", id, chat.realArray(embedding));
    return id;
  }

  @Test
  void searchNeverReturnsAPrivateChannelsMessageToANonMember() throws SQLException {
    int owner = chat.newUser("owner");
    int member = chat.newUser("member");
    int outsider = chat.newUser("outsider");
    int open = chat.createChannel(owner, "open", "public");
    int secret = chat.createChannel(owner, "secret", "private", member);
    long publicHit = analysed(owner, open, "public note", 1f, 0f);
    long secretHit = analysed(owner, secret, "secret note", 1f, 0.01f);

    String search = "SELECT message_id FROM chat.search_messages_by_embedding(?, ?, NULL, 10)";
    assertThat(chat.rows(search, member, chat.realArray(1f, 0f)))
        .extracting(r -> r.get("message_id"))
        .contains(publicHit, secretHit);
    assertThat(chat.rows(search, outsider, chat.realArray(1f, 0f)))
        .extracting(r -> r.get("message_id"))
        .contains(publicHit)
        .doesNotContain(secretHit);
    assertThat(
            failure(
                () ->
                    chat.rows(
                        "SELECT * FROM chat.search_messages_by_embedding(?, ?, ?, 10)",
                        outsider,
                        chat.realArray(1f, 0f),
                        secret)))
        .isEqualTo(
            new Failure(
                "42501", "user " + outsider + " is not a member of private channel " + secret));
  }

  @Test
  void storingAnalysisAndImportanceEmitsNoEventButFlaggingEmitsMessageModerated()
      throws SQLException, IOException {
    int user = chat.newUser("writer");
    int channel = chat.createChannel(user, "analysed", "public");
    String topic = "chat_message_" + channel;
    try (ChatEvents events = ChatEvents.listen(db, topic)) {
      long message = chat.postMessage(user, channel, "buy cheap followers at bit.ly/x");
      chat.run(
          "SELECT chat.store_message_analysis(?, ?, ?, ?)",
          message,
          chat.realArray(0.5f, 0.5f),
          -0.25f,
          0.875f);
      chat.run(
          "SELECT chat.flag_message(?, 'unsafe', ?, 'spam')",
          message,
          chat.textArray("classifier: spam (0.91)", "shortened link"));
      long marker = chat.postMessage(user, channel, "marker");

      List<Event> seen = events.awaitOn(topic, 3);
      assertThat(seen)
          .extracting(Event::event)
          .containsExactly("message_created", "message_moderated", "message_created");
      JsonNode moderated = seen.get(1).json();
      assertThat(moderated.get("message_id").asLong()).isEqualTo(message);
      assertThat(moderated.get("channel_id").asInt()).isEqualTo(channel);
      assertThat(moderated.get("risk_level").asText()).isEqualTo("unsafe");
      assertThat(moderated.get("category").asText()).isEqualTo("spam");
      assertThat(moderated.get("reasons").get(1).asText()).isEqualTo("shortened link");
      assertThat(seen.get(2).json().get("message_id").asLong()).isEqualTo(marker);

      JsonNode metadata =
          JSON.readTree(
              chat.value(
                  String.class, "SELECT metadata::text FROM chat.messages WHERE id = ?", message));
      assertThat(metadata.get("importance").asDouble()).isCloseTo(0.875, within(1e-9));
      assertThat(metadata.get("category").asText()).isEqualTo("spam");
      assertThat(
              chat.value(
                  Long.class,
                  "SELECT count(*) FROM chat.moderation_queue WHERE message_id = ?",
                  message))
          .isEqualTo(1L);
    }
  }

  @Test
  void importanceAboveSevenTenthsMakesAMessageImportantForNotifications() throws SQLException {
    int author = chat.newUser("author");
    int reader = chat.newUser("reader");
    int channel = chat.createChannel(author, "notify", "public");
    chat.run("SELECT chat.set_notification_preferences(?, ?, 'important')", reader, channel);
    long message = chat.postMessage(author, channel, "the database migration finished");
    String notify = "SELECT chat.should_notify_user(?, ?)";
    assertThat(chat.value(Boolean.class, notify, reader, message)).isFalse();
    chat.run("SELECT chat.store_message_analysis(?, NULL, NULL, 0.9)", message);
    assertThat(chat.value(Boolean.class, notify, reader, message)).isTrue();
    assertThat(
            failure(
                () -> chat.run("SELECT chat.store_message_analysis(?, NULL, NULL, 1.5)", message)))
        .isEqualTo(new Failure("22023", "importance must be between 0 and 1 (was 1.5)"));
  }

  @Test
  void aRequestGetsAtMostOneReplyEvenWhenTwoWorkersBothTryToAnswer() throws SQLException {
    chat.run("UPDATE chat.ai_response_queue SET status = 'done' WHERE status <> 'done'");
    int user = chat.newUser("asker");
    int channel = chat.createChannel(user, "once", "public");
    long question = chat.postMessage(user, channel, "@ai what is a slot?");
    long request =
        chat.value(Long.class, "SELECT request_id FROM chat.claim_ai_requests('w1', 10)");

    long reply =
        chat.value(
            Long.class,
            "SELECT chat.complete_ai_request(?, 'a replication slot', 'w1', ?::jsonb)",
            request,
            "{\"generator\":\"offline\"}");
    // A direct insert of a second reply for the same request is refused by the unique index.
    Failure duplicate =
        failure(
            () ->
                chat.run(
                    "INSERT INTO chat.messages (channel_id, content, message_type, metadata) "
                        + "VALUES (?, 'again', 'ai_suggestion', jsonb_build_object('ai_request_id', ?::bigint))",
                    channel,
                    request));
    assertThat(duplicate.sqlState()).isEqualTo("23505");
    assertThat(
            failure(() -> chat.run("SELECT chat.complete_ai_request(?, 'again', 'w1')", request)))
        .isEqualTo(new Failure("55000", "AI request " + request + " is done, not processing"));

    Map<String, Object> row =
        chat.rows(
                "SELECT message_type, metadata->>'generator' AS generator, "
                    + "(metadata->>'in_reply_to')::bigint AS in_reply_to FROM chat.messages WHERE id = ?",
                reply)
            .get(0);
    assertThat(row)
        .containsEntry("message_type", "ai_suggestion")
        .containsEntry("generator", "offline")
        .containsEntry("in_reply_to", question);
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM chat.ai_response_queue WHERE message_id = ?",
                reply))
        .as("a reply never queues another request")
        .isZero();
  }

  @Test
  void suggestRepliesReturnsTheStoredSuggestionsBestFirst() throws SQLException {
    int user = chat.newUser("suggest");
    int channel = chat.createChannel(user, "suggest", "public");
    long question = chat.postMessage(user, channel, "which port does the gateway use?");
    assertThat(chat.rows("SELECT * FROM chat.suggest_replies(?, 3)", channel)).isEmpty();

    chat.run(
        "SELECT chat.save_reply_suggestions(?, ?, ?, ?)",
        channel,
        question,
        chat.textArray("8080 by default", "see ZGRES_GATEWAY_PORT", "let me check"),
        chat.realArray(0.9f, 0.7f, 0.2f));

    assertThat(chat.rows("SELECT suggestion, message_id FROM chat.suggest_replies(?, 2)", channel))
        .containsExactly(
            Map.of("suggestion", "8080 by default", "message_id", question),
            Map.of("suggestion", "see ZGRES_GATEWAY_PORT", "message_id", question));
    assertThat(
            failure(
                () ->
                    chat.run(
                        "SELECT chat.save_reply_suggestions(?, ?, ?, ?)",
                        channel,
                        question,
                        chat.textArray("one", "two"),
                        chat.realArray(0.5f))))
        .isEqualTo(
            new Failure("22023", "need 1 to 10 suggestions and one confidence each (were 2, 1)"));
  }

  @Test
  void similarConversationsRankOtherChannelsBySummaryAndHideUnreadableOnes() throws SQLException {
    int owner = chat.newUser("sim");
    int outsider = chat.newUser("simout");
    int here = chat.createChannel(owner, "here", "public");
    int close = chat.createChannel(owner, "close", "public");
    int far = chat.createChannel(owner, "far", "public");
    int hidden = chat.createChannel(owner, "hidden", "private");
    String save = "SELECT chat.save_conversation_summary(?, ?, ?, ?)";
    chat.run(save, here, "kafka talk", chat.textArray("kafka", "lag"), chat.realArray(1f, 0f));
    chat.run(save, close, "more kafka", chat.textArray("lag"), chat.realArray(0.9f, 0.1f));
    chat.run(save, far, "lunch", chat.textArray("pizza"), chat.realArray(0f, 1f));
    chat.run(save, hidden, "secret kafka", chat.textArray("kafka"), chat.realArray(1f, 0f));

    List<Map<String, Object>> forOwner =
        chat.rows(
            "SELECT channel_id, common_topics::text AS topics "
                + "FROM chat.find_similar_conversations(?, 5, ?)",
            here,
            owner);
    assertThat(forOwner).extracting(r -> r.get("channel_id")).containsExactly(hidden, close, far);
    assertThat(forOwner.get(1).get("topics")).isEqualTo("{lag}");
    assertThat(
            chat.rows(
                "SELECT channel_id FROM chat.find_similar_conversations(?, 5, ?)", here, outsider))
        .extracting(r -> r.get("channel_id"))
        .containsExactly(close, far);
  }

  @Test
  void summaryIsDueAfterEnoughNewMessages() throws SQLException {
    int user = chat.newUser("due");
    int channel = chat.createChannel(user, "due", "public");
    String due = "SELECT chat.summary_due(?, 3, interval '1 hour')";
    chat.postMessage(user, channel, "one");
    chat.postMessage(user, channel, "two");
    assertThat(chat.value(Boolean.class, due, channel)).isFalse();
    chat.postMessage(user, channel, "three");
    assertThat(chat.value(Boolean.class, due, channel)).isTrue();
    chat.run("SELECT chat.save_conversation_summary(?, 'three messages', NULL, NULL)", channel);
    assertThat(chat.value(Boolean.class, due, channel)).isFalse();
  }

  @Test
  void channelHistoryListsEarlierMessagesOldestFirstWithEmbeddings() throws SQLException {
    int user = chat.newUser("hist");
    int channel = chat.createChannel(user, "hist", "public");
    long first = analysed(user, channel, "first", 1f, 2f);
    long second = chat.postMessage(user, channel, "second");
    long third = chat.postMessage(user, channel, "third");

    List<Map<String, Object>> history =
        chat.rows(
            "SELECT message_id, embedding FROM chat.channel_history(?, ?, 10)", channel, third);
    assertThat(history).extracting(r -> r.get("message_id")).containsExactly(first, second);
    assertThat(history.get(0).get("embedding")).isNotNull();
    assertThat(history.get(1).get("embedding")).isNull();
  }
}
