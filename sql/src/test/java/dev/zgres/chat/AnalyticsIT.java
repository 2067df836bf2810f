package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.testkit.ChatApi.Failure;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AnalyticsIT extends ChatFixture {
  private static final AtomicInteger WORDS = new AtomicInteger();

  @Test
  void activityMetricsCompareTheCurrentPeriodWithThePreviousOne() throws SQLException {
    int a = chat.newUser("a");
    int b = chat.newUser("b");
    int one = chat.createChannel(a, "one", "public");
    int two = chat.createChannel(a, "two", "public");
    // Period (11:00, 12:00]: 3 messages, 2 users, 1 channel, sentiment 0.5 and 0.1.
    insertMessage(one, a, "2001-02-03T11:30:00Z", 0.5f);
    insertMessage(one, b, "2001-02-03T11:45:00Z", 0.1f);
    insertMessage(one, a, "2001-02-03T12:00:00Z", null);
    // Period (10:00, 11:00]: 2 messages, 1 user, 2 channels, sentiment -0.2. 11:00 belongs here.
    insertMessage(one, a, "2001-02-03T10:30:00Z", -0.2f);
    insertMessage(two, a, "2001-02-03T11:00:00Z", null);
    // Outside both periods, or deleted: not counted.
    insertMessage(one, b, "2001-02-03T10:00:00Z", 1f);
    insertMessage(one, b, "2001-02-03T12:00:01Z", 1f);
    long deleted = insertMessage(one, b, "2001-02-03T11:50:00Z", -1f);
    chat.run("UPDATE chat.messages SET deleted_at = now() WHERE id = ?", deleted);

    assertThat(metrics("1 hour", "2001-02-03T12:00:00Z"))
        .containsExactly(
            Map.entry("Messages", List.of(new BigDecimal("3"), new BigDecimal("50.00"))),
            Map.entry("Active Users", List.of(new BigDecimal("2"), new BigDecimal("100.00"))),
            Map.entry("Active Channels", List.of(new BigDecimal("1"), new BigDecimal("-50.00"))),
            Map.entry(
                "Average Sentiment", List.of(new BigDecimal("0.300"), new BigDecimal("250.00"))));
  }

  @Test
  void anEmptyPreviousPeriodGivesNoChangePercentRatherThanADivisionByZero() throws SQLException {
    int a = chat.newUser("a");
    int one = chat.createChannel(a, "one", "public");
    insertMessage(one, a, "2002-05-06T07:30:00Z", null);

    Map<String, List<BigDecimal>> m = metrics("1 hour", "2002-05-06T08:00:00Z");
    assertThat(m.get("Messages")).containsExactly(BigDecimal.ONE, null);
    assertThat(m.get("Average Sentiment")).containsExactly(null, null);

    Map<String, List<BigDecimal>> quiet = metrics("1 hour", "1990-01-01T00:00:00Z");
    assertThat(quiet.get("Messages")).containsExactly(BigDecimal.ZERO, BigDecimal.ZERO);
    assertThat(quiet.get("Active Users")).containsExactly(BigDecimal.ZERO, BigDecimal.ZERO);
  }

  @Test
  void activityMetricsRefuseANonPositiveInterval() {
    assertThat(failure(() -> metrics("0 seconds", "2001-01-01T00:00:00Z")))
        .isEqualTo(new Failure("22023", "interval must be positive (was 00:00:00)"));
    assertThat(failure(() -> metrics("-1 hour", "2001-01-01T00:00:00Z")).sqlState())
        .isEqualTo("22023");
  }

  @Test
  void trendingTopicsCountMessagesPerWordAndHashtagInPublicChannelsOnly() throws SQLException {
    int n = WORDS.incrementAndGet();
    String word = "quokka_" + n;
    String tag = "#launch_" + n;
    String secret = "secretword_" + n;
    int user = chat.newUser("trend");
    int open = chat.createChannel(user, "open " + n, "public");
    int other = chat.createChannel(user, "other " + n, "public");
    int closed = chat.createChannel(user, "closed " + n, "private");
    long first =
        chat.postMessage(user, open, "that " + word + " is here " + tag + " @" + "someone_" + n);
    long second =
        chat.postMessage(
            user, other, "another " + word.toUpperCase() + " sighting, " + word + " again");
    chat.postMessage(user, open, tag + " today");
    chat.postMessage(user, closed, secret + " " + word);
    long deleted = chat.postMessage(user, open, word + " deleted");
    chat.run("SELECT chat.delete_message(?, ?)", user, deleted);
    chat.run(
        "INSERT INTO chat.messages (channel_id, content, message_type) VALUES (?, ?, 'ai_suggestion')",
        open,
        word + " from the assistant");
    chat.run("SELECT chat.store_message_analysis(?, NULL, 0.4)", first);
    chat.run("SELECT chat.store_message_analysis(?, NULL, -0.2)", second);

    Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
    for (Map<String, Object> row : chat.rows("SELECT * FROM chat.get_trending_topics(1, 100)")) {
      topics.put((String) row.get("topic"), row);
    }

    assertThat(topics.get(word).get("mentions")).isEqualTo(2);
    assertThat(channelNames(topics.get(word))).containsExactly("open " + n, "other " + n);
    assertThat((Double) topics.get(word).get("sentiment_avg"))
        .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(topics.get(tag).get("mentions")).isEqualTo(2);
    assertThat(topics).doesNotContainKeys(secret, "that", "here", "@someone_" + n, "someone_" + n);
    assertThat(failure(() -> chat.rows("SELECT * FROM chat.get_trending_topics(0, 10)")))
        .isEqualTo(new Failure("22023", "hours must be between 1 and 720 (was 0)"));
    assertThat(failure(() -> chat.rows("SELECT * FROM chat.get_trending_topics(1, 1000)")))
        .isEqualTo(new Failure("22023", "limit must be between 1 and 100 (was 1000)"));
  }

  private static List<Object> channelNames(Map<String, Object> row) throws SQLException {
    return Arrays.asList((Object[]) ((Array) row.get("channels")).getArray());
  }

  private long insertMessage(int channel, int user, String createdAt, Float sentiment)
      throws SQLException {
    return chat.value(
        Long.class,
        "INSERT INTO chat.messages (channel_id, user_id, content, created_at, sentiment) "
            + "VALUES (?, ?, 'metric', ?::timestamptz, ?) RETURNING id",
        channel,
        user,
        createdAt,
        sentiment);
  }

  private Map<String, List<BigDecimal>> metrics(String interval, String now) throws SQLException {
    Map<String, List<BigDecimal>> out = new LinkedHashMap<>();
    for (Map<String, Object> row :
        chat.rows(
            "SELECT * FROM chat.get_activity_metrics(?::interval, ?::timestamptz)",
            interval,
            now)) {
      out.put(
          (String) row.get("metric_name"),
          Arrays.asList(
              (BigDecimal) row.get("metric_value"), (BigDecimal) row.get("change_percent")));
    }
    return out;
  }
}
