package dev.zgres.cli;

import static dev.zgres.cli.ChatWorkers.channel;
import static dev.zgres.cli.ChatWorkers.post;
import static dev.zgres.cli.ChatWorkers.replies;
import static dev.zgres.cli.ChatWorkers.rows;
import static dev.zgres.cli.ChatWorkers.user;
import static dev.zgres.cli.ChatWorkers.value;
import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.ChildJvm;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The AI worker on real servers: PostgreSQL, the bridge, Kafka and the worker, end to end. This
 * class's chat events go to a topic of its own with four partitions.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AiWorkerPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "aiit_chat";
  private static PgEndpoint db;
  private static String kafka;
  private static Bridge bridge;
  private static Connection sql;

  @BeforeAll
  static void pipeline() throws Exception {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    bridge = Bridges.start(db, kafka, ChatWorkers.bridgeRoutes(TOPIC));
    sql = TestServers.connect(db);
    ChatWorkers.embedder();
  }

  @AfterAll
  static void stop() throws Exception {
    sql.close();
    bridge.close();
  }

  private static AiWorker worker(String id) {
    return worker(id, Map.of());
  }

  private static AiWorker worker(String id, Map<String, String> more) {
    return AiWorker.start(
        AiWorkerConfig.from(
            ChatWorkers.workerSettings(db, kafka, TOPIC)
                .with("ZGRES_AI_WORKER_ID", id)
                .with(more)
                .toMap()),
        ChatWorkers.embedder(),
        ChatWorkers.embedder().loadTime());
  }

  private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
    try {
      return JSON.readTree(r.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isReplyIn(ConsumerRecord<byte[], byte[]> r, int channel) {
    try {
      JsonNode event = JSON.readTree(r.value());
      return event.path("channel_id").asInt() == channel
          && "ai_suggestion".equals(event.path("message_type").asText());
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aQuestionToTheAssistantGetsExactlyOneReplyInTheDatabaseAndOnKafka() throws Exception {
    int ana = user(sql, "ana");
    int ben = user(sql, "ben");
    int ops = channel(sql, ana, "ops", "public");
    try (AiWorker worker = worker("w-one");
        TopicReader records = new TopicReader(kafka, TOPIC)) {
      long happy = post(sql, ana, ops, "the release went great, thank you all so much!");
      long angry = post(sql, ben, ops, "this is infuriating, the build broke again");
      post(sql, ana, ops, "how do I rotate the gateway secret?");
      post(
          sql,
          ben,
          ops,
          "write the new key to the secret file and restart the gateway, tokens signed with the old key stop working");
      long asked = System.nanoTime();
      long question = post(sql, ana, ops, "@ai how can I rotate the gateway's secret?");

      Await.until("one reply in the database", WAIT, () -> replies(sql, question) == 1);
      System.out.printf(
          "question -> reply in the database: %d ms%n", (System.nanoTime() - asked) / 1_000_000);
      List<ConsumerRecord<byte[], byte[]>> onKafka = records.await(r -> isReplyIn(r, ops), 1, WAIT);
      records.readFor(Duration.ofSeconds(3));
      assertThat(records.records().stream().filter(r -> isReplyIn(r, ops))).hasSize(1);
      String reply = json(onKafka.get(0)).path("content").asText();
      System.out.println("reply on Kafka: " + reply);
      assertThat(reply).contains("secret file");
      assertThat(replies(sql, question)).isEqualTo(1);

      Await.until(
          "embeddings and sentiment of the first two messages",
          WAIT,
          () ->
              ((Number)
                          value(
                              sql,
                              "SELECT count(*) FROM chat.messages WHERE id IN (?, ?) "
                                  + "AND cardinality(embedding) = 384 AND sentiment IS NOT NULL",
                              happy,
                              angry))
                      .intValue()
                  == 2);
      double happyScore =
          ((Number) value(sql, "SELECT sentiment FROM chat.messages WHERE id = ?", happy))
              .doubleValue();
      double angryScore =
          ((Number) value(sql, "SELECT sentiment FROM chat.messages WHERE id = ?", angry))
              .doubleValue();
      System.out.printf("sentiment: happy %.2f, angry %.2f%n", happyScore, angryScore);
      assertThat(happyScore).isGreaterThan(angryScore);

      HttpResponse<String> health = Bridges.get(worker.metricsPort(), "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"worker_id\":\"w-one\"");
      String metrics = Bridges.get(worker.metricsPort(), "/metrics").body();
      assertThat(metrics)
          .contains("zgres_ai_model_load_seconds", "zgres_ai_replies_total{generator=\"offline\"}")
          .contains("zgres_consumer_records_handled_total");
    }
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicAndTheWorkerCarriesOn() throws Exception {
    int cy = user(sql, "cyd");
    int room = channel(sql, cy, "poison", "public");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (AiWorker worker = worker("w-poison");
        TopicReader dlq = new TopicReader(kafka, TOPIC + ".dlq");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  String.valueOf(room).getBytes(StandardCharsets.UTF_8),
                  "{not json".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      long after = post(sql, cy, room, "the poison record should not stop this one");

      List<ConsumerRecord<byte[], byte[]>> dead =
          dlq.await(r -> text(r.value()).equals("{not json"), 1, WAIT);
      assertThat(dead).hasSize(1);
      assertThat(TopicReader.header(dead.get(0), EventHeaders.DLQ_REASON)).contains("not JSON");
      Await.until(
          "the next message analysed",
          WAIT,
          () -> value(sql, "SELECT embedding FROM chat.messages WHERE id = ?", after) != null);
    }
  }

  @Test
  void twoWorkerInstancesSplitThePartitionsAndEachQuestionGetsOneReply() throws Exception {
    int dee = user(sql, "dee");
    try (AiWorker first = worker("w-first");
        AiWorker second = worker("w-second")) {
      Await.until(
          "both workers to own partitions",
          WAIT,
          () ->
              !first.assignedPartitions().isEmpty()
                  && !second.assignedPartitions().isEmpty()
                  && first.assignedPartitions().size() + second.assignedPartitions().size() == 4);
      Set<TopicPartition> overlap = new HashSet<>(first.assignedPartitions());
      overlap.retainAll(second.assignedPartitions());
      assertThat(overlap).isEmpty();
      System.out.println(
          "partitions: " + first.assignedPartitions() + " and " + second.assignedPartitions());

      long[] questions = new long[8];
      for (int i = 0; i < questions.length; i++) {
        int room = channel(sql, dee, "split" + i, "public");
        questions[i] = post(sql, dee, room, "@ai is anyone around in room " + i + "?");
      }
      for (long q : questions) {
        Await.until("a reply to " + q, WAIT, () -> replies(sql, q) >= 1);
      }
      for (long q : questions) {
        assertThat(replies(sql, q)).isEqualTo(1);
      }
      List<Map<String, Object>> by =
          rows(
              sql,
              "SELECT DISTINCT claimed_by FROM chat.ai_response_queue WHERE message_id = ANY (?)",
              sql.createArrayOf("bigint", java.util.Arrays.stream(questions).boxed().toArray()));
      System.out.println("answered by: " + by);
    }
  }

  @Test
  void aWorkerKilledMidReplyIsTakenOverAndTheQuestionStillGetsExactlyOneReply() throws Exception {
    int eve = user(sql, "eve");
    int room = channel(sql, eve, "killed", "public");
    Path log = Files.createTempFile("zgres-ai-worker", ".log");
    try (FakeLlmServer llm = new FakeLlmServer("Restart the bridge with systemctl.", 1);
        TopicReader records = new TopicReader(kafka, TOPIC)) {
      Map<String, String> settings =
          ChatWorkers.workerSettings(db, kafka, TOPIC)
              .with("ZGRES_AI_WORKER_ID", "victim")
              .with("ZGRES_AI_LEASE_MS", "3000")
              .with("ZGRES_LLM_URL", llm.url())
              .with("ZGRES_LLM_MODEL", "fake")
              .with("ZGRES_LLM_TIMEOUT_MS", "120000")
              .toMap();
      long question;
      try (ChildJvm victim = ChildJvm.start(AiWorkerTestMain.class, settings, log)) {
        question = post(sql, eve, room, "@ai how do I restart the bridge?");
        Await.until("the victim to be waiting on the LLM", WAIT, () -> llm.requests() >= 1);
        assertThat(
                rows(
                    sql,
                    "SELECT status, claimed_by FROM chat.ai_response_queue WHERE message_id = ?",
                    question))
            .containsExactly(Map.of("status", "processing", "claimed_by", "victim"));
        victim.kill();
      }
      llm.release();
      try (AiWorker rescuer =
          worker(
              "rescuer",
              Map.of(
                  "ZGRES_AI_LEASE_MS", "3000",
                  "ZGRES_LLM_URL", llm.url(),
                  "ZGRES_LLM_MODEL", "fake"))) {
        Await.until("a reply after the takeover", WAIT, () -> replies(sql, question) == 1);
        records.await(r -> isReplyIn(r, room), 1, WAIT);
        records.readFor(Duration.ofSeconds(3));
        assertThat(records.records().stream().filter(r -> isReplyIn(r, room))).hasSize(1);
        assertThat(replies(sql, question)).isEqualTo(1);
        assertThat(
                rows(
                    sql,
                    "SELECT status, claimed_by, attempts FROM chat.ai_response_queue WHERE message_id = ?",
                    question))
            .containsExactly(Map.of("status", "done", "claimed_by", "rescuer", "attempts", 2));
        assertThat(
                value(
                    sql,
                    "SELECT metadata->>'generator' FROM chat.messages WHERE (metadata->>'in_reply_to')::bigint = ?",
                    question))
            .isEqualTo("llm:fake");
      }
    }
  }
}
