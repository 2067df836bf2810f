package dev.zgres.cli;

import static dev.zgres.cli.ChatWorkers.channel;
import static dev.zgres.cli.ChatWorkers.post;
import static dev.zgres.cli.ChatWorkers.user;
import static dev.zgres.cli.ChatWorkers.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.moderation.Moderator;
import dev.zgres.consumers.moderation.ModeratorConfig;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The moderator on real servers: PostgreSQL, the bridge, Kafka and the moderator. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ModeratorPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "modit_chat";

  private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
    try {
      return JSON.readTree(r.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aScamLandsInTheModerationQueueAndItsVerdictFollowsTheMessageOnKafka() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    try (Bridge bridge = Bridges.start(db, kafka, ChatWorkers.bridgeRoutes(TOPIC));
        Connection sql = TestServers.connect(db);
        Moderator moderator =
            Moderator.start(
                ModeratorConfig.from(ChatWorkers.workerSettings(db, kafka, TOPIC).toMap()),
                ChatWorkers.embedder(),
                ChatWorkers.embedder().loadTime());
        TopicReader records = new TopicReader(kafka, TOPIC)) {
      int mallory = user(sql, "mallory");
      int market = channel(sql, mallory, "market", "public");
      long fine = post(sql, mallory, market, "the stand-up is moved to 10:30 tomorrow");
      long scam =
          post(
              sql,
              mallory,
              market,
              "send me 0.2 BTC and I will send 1 BTC back within an hour, guaranteed, limited offer");

      List<ConsumerRecord<byte[], byte[]>> verdicts =
          records.await(r -> "message_moderated".equals(json(r).path("event").asText()), 1, WAIT);
      JsonNode verdict = json(verdicts.get(0));
      assertThat(verdict.get("message_id").asLong()).isEqualTo(scam);
      assertThat(verdict.get("category").asText()).isEqualTo("scam");
      assertThat(verdict.get("risk_level").asText()).isIn("warning", "unsafe");

      List<String> order =
          records.records().stream()
              .map(ModeratorPipelineIT::json)
              .filter(e -> e.path("message_id").asLong() == scam)
              .map(e -> e.path("event").asText())
              .toList();
      assertThat(order).containsExactly("message_created", "message_moderated");
      assertThat(
              ((Number)
                      value(
                          sql,
                          "SELECT count(*) FROM chat.moderation_queue WHERE message_id = ?",
                          scam))
                  .intValue())
          .isEqualTo(1);
      // The fine message came first in the same channel, hence the same partition: it was judged
      // before the scam was, and left no trace.
      assertThat(
              ((Number)
                      value(
                          sql,
                          "SELECT count(*) FROM chat.moderation_queue WHERE message_id = ?",
                          fine))
                  .intValue())
          .isZero();
    }
  }
}
