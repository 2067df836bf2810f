package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.chat.ChatEvents.Event;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import dev.zgres.testkit.TestServers;
import java.io.IOException;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SQL side of the AI worker and the moderator. Each test drains the AI queue first, since the
 * queue is shared by the whole database.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerEntryPointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PgEndpoint db;
  private ChatApi chat;
  private int user;
  private int channel;

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  @BeforeEach
  void channel() throws SQLException {
    chat = ChatApi.connect(db);
    chat.run(
        "UPDATE chat.ai_response_queue SET status = 'done' WHERE status IN ('pending', 'processing')");
    user = chat.newUser("asker");
    channel = chat.createChannel(user, "ask", "public");
  }

  @AfterEach
  void disconnect() throws SQLException {
    chat.close();
  }

  @Test
  void helpOrAtAiQueuesARequestAndUrgentOnesComeFirst() throws SQLException {
    long help = chat.postMessage(user, channel, "Can someone HELP me?");
    long ai = chat.postMessage(user, channel, "@ai what is a WAL?");
    long urgent = chat.postMessage(user, channel, "urgent: need help now");
    chat.postMessage(user, channel, "that was helpful");
    chat.postMessage(user, channel, "mail me at me@ai.example");
    chat.postMessage(user, channel, "@aisha hello");
    chat.run(
        "INSERT INTO chat.messages (channel_id, content, message_type) VALUES (?, 'system help notice', 'system')",
        channel);

    assertThat(
            chat.rows(
                "SELECT message_id, priority, status FROM chat.ai_response_queue WHERE channel_id = ? ORDER BY id",
                channel))
        .containsExactly(
            Map.of("message_id", help, "priority", 5, "status", "pending"),
            Map.of("message_id", ai, "priority", 5, "status", "pending"),
            Map.of("message_id", urgent, "priority", 1, "status", "pending"));
    assertThat(claim("w1", 10))
        .extracting(r -> r.get("message_id"))
        .containsExactly(urgent, help, ai);
  }

  @Test
  void concurrentWorkersNeverClaimTheSameRequest() throws SQLException {
    for (int i = 0; i < 4; i++) {
      chat.postMessage(user, channel, "help " + i);
    }
    try (ChatApi first = ChatApi.connect(db);
        ChatApi second = ChatApi.connect(db)) {
      first.connection().setAutoCommit(false);
      List<Object> firstIds =
          first.rows("SELECT * FROM chat.claim_ai_requests('w1', 3)").stream()
              .map(r -> r.get("request_id"))
              .toList();
      // The first worker has not committed: its rows are locked and skipped, not waited for.
      List<Object> secondIds =
          second.rows("SELECT * FROM chat.claim_ai_requests('w2', 10)").stream()
              .map(r -> r.get("request_id"))
              .toList();
      first.connection().commit();

      assertThat(firstIds).hasSize(3);
      assertThat(secondIds).hasSize(1).doesNotContainAnyElementsOf(firstIds);
    }
    assertThat(claim("w3", 10)).isEmpty();
  }

  @Test
  void completingARequestPostsAnAssistantReplyThatIsEmittedAndNotQueuedAgain()
      throws SQLException, IOException {
    long question = chat.postMessage(user, channel, "@ai help");
    long request = (Long) claim("w1", 1).get(0).get("request_id");
    try (ChatEvents events = ChatEvents.listen(db)) {
      long reply =
          chat.value(
              Long.class,
              "SELECT chat.complete_ai_request(?, ?, ?)",
              request,
              "Happy to help: try VACUUM.",
              "w1");

      Event created = events.awaitOn("chat_message_" + channel, 1).get(0);
      assertThat(created.json().get("message_id").asLong()).isEqualTo(reply);
      assertThat(created.json().get("message_type").asText()).isEqualTo("ai_suggestion");
      assertThat(created.json().get("user_id").isNull()).isTrue();

      Map<String, Object> row =
          chat.rows(
                  "SELECT content, message_type, metadata::text AS metadata FROM chat.messages "
                      + "WHERE id = ?",
                  reply)
              .get(0);
      assertThat(row.get("content")).isEqualTo("Happy to help: try VACUUM.");
      JsonNode metadata = JSON.readTree((String) row.get("metadata"));
      assertThat(metadata.get("in_reply_to").asLong()).isEqualTo(question);
      assertThat(metadata.get("ai_request_id").asLong()).isEqualTo(request);
    }
    assertThat(
            chat.rows(
                "SELECT status, response_message_id IS NOT NULL AS answered FROM chat.ai_response_queue "
                    + "WHERE id = ?",
                request))
        .containsExactly(Map.of("status", "done", "answered", true));
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM chat.ai_response_queue WHERE channel_id = ?",
                channel))
        .isEqualTo(1L);
  }

  @Test
  void completeRefusesARequestThatIsNotBeingProcessedOrBelongsToAnotherWorker()
      throws SQLException {
    chat.postMessage(user, channel, "help");
    long request = (Long) claim("w1", 1).get(0).get("request_id");

    assertThat(failure(() -> chat.run("SELECT chat.complete_ai_request(?, 'hi', 'w2')", request)))
        .isEqualTo(
            new Failure("55000", "AI request " + request + " is claimed by \"w1\", not by \"w2\""));
    assertThat(failure(() -> chat.run("SELECT chat.complete_ai_request(?, '', 'w1')", request)))
        .isEqualTo(new Failure("22023", "message reply must not be empty"));
    chat.run("SELECT chat.complete_ai_request(?, 'done', 'w1')", request);
    assertThat(failure(() -> chat.run("SELECT chat.complete_ai_request(?, 'again')", request)))
        .isEqualTo(new Failure("55000", "AI request " + request + " is done, not processing"));
    assertThat(failure(() -> chat.run("SELECT chat.complete_ai_request(999999, 'x')")))
        .isEqualTo(new Failure("P0002", "request_id 999999: no such AI request"));
  }

  @Test
  void aFailedRequestIsRetriedUntilItsAttemptsAreUsedUp() throws SQLException {
    chat.postMessage(user, channel, "help");
    long request = (Long) claim("w1", 1).get(0).get("request_id");

    assertThat(
            chat.value(
                String.class, "SELECT chat.fail_ai_request(?, 'model timeout', 'w1', 2)", request))
        .isEqualTo("pending");
    Map<String, Object> retry = claim("w2", 1).get(0);
    assertThat(retry.get("request_id")).isEqualTo(request);
    assertThat(retry.get("attempts")).isEqualTo(2);
    assertThat(
            chat.value(
                String.class, "SELECT chat.fail_ai_request(?, 'model timeout', 'w2', 2)", request))
        .isEqualTo("failed");
    assertThat(
            chat.rows(
                "SELECT status, last_error FROM chat.ai_response_queue WHERE id = ?", request))
        .containsExactly(Map.of("status", "failed", "last_error", "model timeout"));
    assertThat(claim("w3", 10)).isEmpty();
  }

  @Test
  void aRequestWhoseLeaseExpiredIsClaimedAgainUntilItsAttemptsAreUsedUp() throws SQLException {
    chat.postMessage(user, channel, "help");
    long request = (Long) claim("w1", 1).get(0).get("request_id");
    assertThat(claim("w2", 10)).isEmpty();

    chat.run(
        "UPDATE chat.ai_response_queue SET claimed_at = now() - interval '10 minutes' WHERE id = ?",
        request);
    List<Map<String, Object>> reclaimed = claim("w2", 10);
    assertThat(reclaimed).extracting(r -> r.get("request_id")).containsExactly(request);
    assertThat(
            chat.value(
                String.class,
                "SELECT claimed_by FROM chat.ai_response_queue WHERE id = ?",
                request))
        .isEqualTo("w2");

    chat.run(
        "UPDATE chat.ai_response_queue SET claimed_at = now() - interval '10 minutes', attempts = 5 WHERE id = ?",
        request);
    assertThat(claim("w3", 10)).isEmpty();
    assertThat(
            chat.rows(
                "SELECT status, last_error FROM chat.ai_response_queue WHERE id = ?", request))
        .containsExactly(
            Map.of("status", "failed", "last_error", "lease of w2 expired after 5 attempts"));
  }

  @Test
  void requestsForDeletedMessagesFailInsteadOfBeingClaimed() throws SQLException {
    long message = chat.postMessage(user, channel, "help, never mind");
    chat.run("SELECT chat.delete_message(?, ?)", user, message);

    assertThat(claim("w1", 10)).isEmpty();
    assertThat(
            chat.rows(
                "SELECT status, last_error FROM chat.ai_response_queue WHERE message_id = ?",
                message))
        .containsExactly(Map.of("status", "failed", "last_error", "message was deleted"));
  }

  @Test
  void claimRefusesBadArguments() {
    assertThat(failure(() -> claim(" ", 1)).message())
        .startsWith("worker must be 1 to 100 characters");
    assertThat(failure(() -> claim("w", 0)))
        .isEqualTo(new Failure("22023", "n must be between 1 and 100 (was 0)"));
  }

  @Test
  void storedAnalysisIsKeptAndBadValuesAreRefused() throws SQLException {
    long message = chat.postMessage(user, channel, "analyse me");

    chat.run(
        "SELECT chat.store_message_analysis(?, ?, ?)",
        message,
        chat.realArray(0.25f, -0.5f),
        -0.75f);
    chat.run("SELECT chat.store_message_analysis(?, NULL, ?)", message, 0.5f);

    Map<String, Object> row =
        chat.rows("SELECT embedding, sentiment, edited_at FROM chat.messages WHERE id = ?", message)
            .get(0);
    assertThat((Float[]) ((Array) row.get("embedding")).getArray()).containsExactly(0.25f, -0.5f);
    assertThat(row.get("sentiment")).isEqualTo(0.5f);
    assertThat(row.get("edited_at")).isNull();

    assertThat(failure(() -> chat.run("SELECT chat.store_message_analysis(?, NULL, 1.5)", message)))
        .isEqualTo(new Failure("22023", "sentiment must be between -1 and 1 (was 1.5)"));
    assertThat(
            failure(
                () ->
                    chat.run(
                        "SELECT chat.store_message_analysis(?, ?, NULL)",
                        message,
                        chat.realArray(1f, Float.NaN))))
        .isEqualTo(
            new Failure(
                "22023", "embedding must contain only finite numbers (no NULL, NaN or infinity)"));
    assertThat(
            failure(() -> chat.run("SELECT chat.store_message_analysis(?, '{}', NULL)", message)))
        .isEqualTo(new Failure("22023", "embedding must be a non-empty one-dimensional array"));
    assertThat(
            failure(() -> chat.run("SELECT chat.store_message_analysis(?, NULL, NULL)", message)))
        .isEqualTo(
            new Failure("22004", "embedding, sentiment and importance must not all be NULL"));
    assertThat(failure(() -> chat.run("SELECT chat.store_message_analysis(999999999, NULL, 0)")))
        .isEqualTo(new Failure("P0002", "message_id 999999999: no such message"));
  }

  @Test
  void searchByEmbeddingRanksByCosineSimilarityAndSkipsOtherLengthsAndDeletedMessages()
      throws SQLException {
    long same = analysed("same direction", 2f, 0f, 0f);
    long close = analysed("close", 1f, 0.2f, 0f);
    long opposite = analysed("opposite", -1f, 0f, 0f);
    long deleted = analysed("deleted", 1f, 0f, 0f);
    chat.run("SELECT chat.delete_message(?, ?)", user, deleted);
    long otherLength = chat.postMessage(user, channel, "2-d");
    chat.run("SELECT chat.store_message_analysis(?, ?, NULL)", otherLength, chat.realArray(1f, 0f));
    chat.postMessage(user, channel, "no embedding yet");

    List<Map<String, Object>> hits =
        chat.rows(
            "SELECT * FROM chat.search_messages_by_embedding(?, ?, ?, 10)",
            user,
            chat.realArray(1f, 0f, 0f),
            channel);

    assertThat(hits).extracting(r -> r.get("message_id")).containsExactly(same, close, opposite);
    assertThat((Double) hits.get(0).get("similarity")).isCloseTo(1.0, within(1e-9));
    assertThat((Double) hits.get(1).get("similarity")).isCloseTo(1 / Math.sqrt(1.04), within(1e-6));
    assertThat((Double) hits.get(2).get("similarity")).isCloseTo(-1.0, within(1e-9));
    assertThat(
            chat.rows(
                "SELECT * FROM chat.search_messages_by_embedding(?, ?, ?, 1)",
                user,
                chat.realArray(1f, 0f, 0f),
                channel))
        .hasSize(1);
    assertThat(
            failure(
                () ->
                    chat.rows(
                        "SELECT * FROM chat.search_messages_by_embedding(?, NULL, ?, 1)",
                        user,
                        channel)))
        .isEqualTo(new Failure("22004", "query embedding must not be NULL"));
  }

  @Test
  void cosineSimilarityIsNullForDifferentLengthsOrAZeroVector() throws SQLException {
    assertThat(chat.value(Double.class, "SELECT chat.cosine_similarity('{1,2}', '{1,2,3}')"))
        .isNull();
    assertThat(chat.value(Double.class, "SELECT chat.cosine_similarity('{0,0}', '{1,2}')"))
        .isNull();
    assertThat(chat.value(Double.class, "SELECT chat.cosine_similarity('{1,0}', '{0,3}')"))
        .isZero();
  }

  @Test
  void aConversationSummaryReplacesThePreviousOne() throws SQLException {
    int first =
        chat.value(
            Integer.class,
            "SELECT chat.save_conversation_summary(?, ?, ?, ?)",
            channel,
            "First summary",
            chat.textArray("a", "b"),
            chat.realArray(1f, 2f));
    int second =
        chat.value(
            Integer.class,
            "SELECT chat.save_conversation_summary(?, ?, ?, ?)",
            channel,
            "Second summary",
            chat.textArray("c"),
            null);

    assertThat(second).isEqualTo(first);
    Map<String, Object> row =
        chat.rows(
                "SELECT summary, key_points, context_embedding FROM chat.conversation_memory "
                    + "WHERE channel_id = ?",
                channel)
            .get(0);
    assertThat(row.get("summary")).isEqualTo("Second summary");
    assertThat((String[]) ((Array) row.get("key_points")).getArray()).containsExactly("c");
    assertThat(row.get("context_embedding")).isNull();
    assertThat(
            failure(
                () ->
                    chat.run("SELECT chat.save_conversation_summary(?, ' ', NULL, NULL)", channel)))
        .isEqualTo(new Failure("22023", "summary must not be empty"));
  }

  @Test
  void flaggingOpensOneCasePerMessageKeepingTheHighestRiskAndEveryReason()
      throws SQLException, IOException {
    long message = chat.postMessage(user, channel, "buy cheap stuff");

    long first =
        chat.value(
            Long.class,
            "SELECT chat.flag_message(?, 'warning', ?)",
            message,
            chat.textArray("spam", "caps"));
    long second =
        chat.value(
            Long.class,
            "SELECT chat.flag_message(?, 'unsafe', ?)",
            message,
            chat.textArray("caps", "scam link"));
    long third = chat.value(Long.class, "SELECT chat.flag_message(?, 'warning', NULL)", message);

    assertThat(second).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    Map<String, Object> queued =
        chat.rows(
                "SELECT risk_level, reasons, status FROM chat.moderation_queue WHERE id = ?", first)
            .get(0);
    assertThat(queued.get("risk_level")).isEqualTo("unsafe");
    assertThat(queued.get("status")).isEqualTo("pending");
    assertThat((String[]) ((Array) queued.get("reasons")).getArray())
        .containsExactly("spam", "caps", "scam link");
    JsonNode metadata =
        JSON.readTree(
            chat.value(
                String.class, "SELECT metadata::text FROM chat.messages WHERE id = ?", message));
    assertThat(metadata.get("moderated").asBoolean()).isTrue();
    assertThat(metadata.get("risk_level").asText()).isEqualTo("unsafe");
    assertThat(Arrays.asList(JSON.treeToValue(metadata.get("reasons"), String[].class)))
        .containsExactly("spam", "caps", "scam link");

    chat.run("UPDATE chat.moderation_queue SET status = 'approved' WHERE id = ?", first);
    long reopened =
        chat.value(Long.class, "SELECT chat.flag_message(?, 'warning', '{again}')", message);
    assertThat(reopened).isNotEqualTo(first);
    assertThat(failure(() -> chat.run("SELECT chat.flag_message(?, 'safe', NULL)", message)))
        .isEqualTo(new Failure("22023", "risk_level must be warning or unsafe (was \"safe\")"));
    assertThat(failure(() -> chat.run("SELECT chat.flag_message(999999999, 'unsafe', NULL)")))
        .isEqualTo(new Failure("P0002", "message_id 999999999: no such message"));
  }

  private long analysed(String content, float... embedding) throws SQLException {
    long id = chat.postMessage(user, channel, content);
    chat.run("SELECT chat.store_message_analysis(?, ?, NULL)", id, chat.realArray(embedding));
    return id;
  }

  private List<Map<String, Object>> claim(String worker, int n) throws SQLException {
    return chat.rows("SELECT * FROM chat.claim_ai_requests(?, ?)", worker, n);
  }
}
