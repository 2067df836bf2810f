package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AI worker's per-message work against a real, migrated PostgreSQL (no Kafka here). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MessageAnalystIT {
  private static PgEndpoint db;
  private static Connection connection;
  private static TextEmbedder embedder;
  private static SentimentScorer sentiment;
  private static int user;
  private static int other;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestServers.freshDatabase();
    connection = TestServers.connect(db);
    embedder = SharedEmbedder.get();
    sentiment = SentimentScorer.train(embedder, LabelledSet.fromResource(SentimentScorer.DATA));
    user = intValue("SELECT chat.register_user('ana', 'correct horse battery', 'ana@example.org')");
    other =
        intValue("SELECT chat.register_user('ben', 'correct horse battery', 'ben@example.org')");
  }

  @AfterAll
  static void tearDown() throws SQLException {
    connection.close();
  }

  private static MessageAnalyst analyst(Connection c, String worker) {
    AiStore store = new AiStore(c);
    return new MessageAnalyst(
        embedder,
        sentiment,
        new ImportanceScorer(),
        store,
        new AssistantDesk(
            store,
            embedder,
            new OfflineResponder(embedder, 0.75),
            worker,
            Duration.ofSeconds(30),
            5,
            new AiMeters(new SimpleMeterRegistry())),
        new ConversationKeeper(
            store,
            new ExtractiveSummarizer(3),
            new ReplySuggester(0.7),
            5,
            Duration.ofMinutes(10)));
  }

  private static int intValue(String sql, Object... params) throws SQLException {
    return ((Number) value(sql, params)).intValue();
  }

  private static Object value(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    }
  }

  private static ChatEvent post(int author, int channel, String content) throws SQLException {
    long id =
        ((Number) value("SELECT chat.post_message(?, ?, ?)", author, channel, content)).longValue();
    String name = (String) value("SELECT username FROM chat.users WHERE id = ?", author);
    return new ChatEvent("message_created", id, channel, author, name, content, "user");
  }

  @Test
  void storesA384DimensionEmbeddingAndScoresAHappyMessageAboveAnAngryOne() throws SQLException {
    int channel = intValue("SELECT chat.create_channel(?, 'moods', 'public', NULL)", user);
    MessageAnalyst analyst = analyst(connection, "w-moods");
    ChatEvent happy = post(user, channel, "this is great, thanks everyone, I love it!");
    ChatEvent angry = post(user, channel, "this is awful, I'm furious that it broke again");
    analyst.handle(happy);
    analyst.handle(angry);

    assertThat(
            intValue(
                "SELECT cardinality(embedding) FROM chat.messages WHERE id = ?", happy.messageId()))
        .isEqualTo(384);
    double happyScore =
        ((Number) value("SELECT sentiment FROM chat.messages WHERE id = ?", happy.messageId()))
            .doubleValue();
    double angryScore =
        ((Number) value("SELECT sentiment FROM chat.messages WHERE id = ?", angry.messageId()))
            .doubleValue();
    assertThat(happyScore).isGreaterThan(angryScore);
    assertThat(
            value(
                "SELECT metadata->>'importance' FROM chat.messages WHERE id = ?",
                happy.messageId()))
        .isNotNull();
  }

  @Test
  void aQuestionGetsExactlyOneReplyAlsoWhenItsRecordIsHandledAgain() throws SQLException {
    int channel = intValue("SELECT chat.create_channel(?, 'ops', 'public', NULL)", user);
    MessageAnalyst analyst = analyst(connection, "w-ops");
    analyst.handle(post(user, channel, "how do I restart the bridge?"));
    analyst.handle(
        post(
            other,
            channel,
            "run systemctl restart zgres-bridge on the host, it takes a few seconds"));
    ChatEvent question = post(other, channel, "@ai what's the way to restart the bridge?");

    analyst.handle(question);
    analyst.handle(question);

    List<String> replies = replies(question.messageId());
    assertThat(replies).hasSize(1);
    System.out.println("offline reply: " + replies.get(0));
    assertThat(replies.get(0)).contains("systemctl restart zgres-bridge");
    assertThat(
            value(
                "SELECT metadata->>'generator' FROM chat.messages WHERE (metadata->>'in_reply_to')::bigint = ?",
                question.messageId()))
        .isEqualTo("offline");
    assertThat(
            intValue(
                "SELECT count(*) FROM chat.reply_suggestions WHERE message_id = ?",
                question.messageId()))
        .isEqualTo(3);
  }

  @Test
  void twoWorkersAnsweringAtOnceStillPostOneReplyPerQuestion() throws Exception {
    int channel = intValue("SELECT chat.create_channel(?, 'race', 'public', NULL)", user);
    List<ChatEvent> questions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      questions.add(post(user, channel, "@ai question number " + i + "?"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Connection a = TestServers.connect(db);
        Connection b = TestServers.connect(db)) {
      MessageAnalyst first = analyst(a, "w-a");
      MessageAnalyst second = analyst(b, "w-b");
      List<Callable<Void>> work =
          List.of(
              () -> {
                for (ChatEvent q : questions) {
                  first.handle(q);
                }
                return null;
              },
              () -> {
                for (ChatEvent q : questions) {
                  second.handle(q);
                }
                return null;
              });
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (ChatEvent q : questions) {
      assertThat(replies(q.messageId())).as("replies to " + q.content()).hasSize(1);
    }
  }

  @Test
  void theSummaryIsSavedAfterEnoughMessages() throws SQLException {
    int channel = intValue("SELECT chat.create_channel(?, 'release', 'public', NULL)", user);
    MessageAnalyst analyst = analyst(connection, "w-sum");
    for (String line :
        Arrays.asList(
            "the release is blocked by the failing migration",
            "which migration fails",
            "V016, the index creation times out",
            "let's create the index concurrently",
            "agreed, I'll split the migration")) {
      analyst.handle(post(user, channel, line));
    }
    String summary =
        (String)
            value("SELECT summary FROM chat.conversation_memory WHERE channel_id = ?", channel);
    System.out.println("summary: " + summary);
    assertThat(summary).startsWith("5 messages from ana.");
    assertThat(
            intValue(
                "SELECT cardinality(context_embedding) FROM chat.conversation_memory WHERE channel_id = ?",
                channel))
        .isEqualTo(384);
  }

  @Test
  void measuresPerMessageHandling() throws SQLException {
    int channel = intValue("SELECT chat.create_channel(?, 'load', 'public', NULL)", user);
    MessageAnalyst analyst = analyst(connection, "w-load");
    String[] lines = {
      "deploy finished without errors", "the dashboard looks slow today", "lunch at noon?",
      "great work on the fix", "I can't log in to staging", "meeting moved to 3pm",
      "this test is flaky again", "thanks for the review", "the backup ran fine overnight",
      "who owns the billing service"
    };
    List<ChatEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(post(other, channel, lines[i % lines.length] + " (" + i + ")"));
    }
    List<Long> plain = new ArrayList<>();
    List<Long> questions = new ArrayList<>();
    long start = System.nanoTime();
    for (ChatEvent event : events) {
      long t = System.nanoTime();
      analyst.handle(event);
      long took = System.nanoTime() - t;
      boolean question = new HistoryMessage(0, "x", event.content(), null, false).isQuestion();
      (question ? questions : plain).add(took);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Long> embedOnly = new ArrayList<>();
    for (ChatEvent event : events) {
      long t = System.nanoTime();
      embedder.embed(event.content());
      embedOnly.add(System.nanoTime() - t);
    }
    System.out.println("of which embedding alone: " + percentiles(embedOnly));
    System.out.printf(
        "per-message handling over %d messages (%.0f messages/s): %s; questions (suggestions"
            + " too): %s%n",
        events.size(), events.size() / seconds, percentiles(plain), percentiles(questions));
    assertThat(
            intValue(
                "SELECT count(*) FROM chat.messages WHERE channel_id = ? AND embedding IS NULL",
                channel))
        .isZero();
  }

  private static String percentiles(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        java.util.Locale.ROOT,
        "%d messages, p50 %.1f ms, p99 %.1f ms",
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
  }

  private static List<String> replies(long question) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT content FROM chat.messages WHERE message_type = 'ai_suggestion' "
                + "AND (metadata->>'in_reply_to')::bigint = ? ORDER BY id")) {
      s.setLong(1, question);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
