package dev.zgres.consumers.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** bin/zgres replay's engine against a real Kafka broker. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static String kafka;
  private static Producer<byte[], byte[]> producer;

  @BeforeAll
  static void start() {
    kafka = TestServers.kafkaBootstrap();
    producer = new KafkaProducer<>(ProducerContract.settings(kafka, "replay-it", Map.of()));
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  private static String topic(String prefix, int partitions) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      admin
          .createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return name;
  }

  private static RecordMetadata send(ProducerRecord<byte[], byte[]> record) throws Exception {
    return producer.send(record).get(30, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ReplayConfig config(ReplayRequest.Options options) {
    return new ReplayConfig(kafka, Map.of(), Map.of(), ReplayRequest.from(options, Instant.now()));
  }

  private static ReplayRequest.Options options(
      String topic, String key, Integer channel, String since, String until) {
    return new ReplayRequest.Options(topic, key, channel, since, until, null, false);
  }

  /** Runs a replay to JSON lines; returns the lines parsed. */
  private static List<JsonNode> replayToJson(ReplayConfig config) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Replay.Summary summary;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        ReplaySink sink = ReplaySinks.open(config, print, new PrintStream(err))) {
      summary = new Replay(config, new PrintStream(err)).run(sink);
    }
    System.out.print(err.toString(StandardCharsets.UTF_8));
    assertThat(summary.failed()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        lines.add(JSON.readTree(line));
      }
    }
    assertThat(summary.written()).isEqualTo(lines.size());
    return lines;
  }

  @Test
  void aTimeWindowReturnsExactlyItsRecordsInOrder() throws Exception {
    String topic = topic("window", 3);
    long t0 = System.currentTimeMillis() - 3_600_000;
    for (int i = 0; i < 60; i++) {
      send(
          new ProducerRecord<>(
              topic, null, t0 + i * 1_000L, utf8("k" + i % 5), utf8("{\"i\":" + i + "}")));
    }
    String since = Instant.ofEpochMilli(t0 + 20_000).toString();
    String until = Instant.ofEpochMilli(t0 + 40_000).toString();

    List<JsonNode> lines = replayToJson(config(options(topic, null, null, since, until)));

    assertThat(lines)
        .extracting(l -> l.path("value").path("i").asInt())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(20, 40).boxed().toList());
    for (int p = 0; p < 3; p++) {
      int partition = p;
      List<JsonNode> inPartition =
          lines.stream().filter(l -> l.path("partition").asInt() == partition).toList();
      assertThat(inPartition)
          .as("partition %d in offset order", p)
          .isSortedAccordingTo(Comparator.comparingLong(l -> l.path("offset").asLong()));
      assertThat(inPartition)
          .isSortedAccordingTo(Comparator.comparingInt(l -> l.path("value").path("i").asInt()));
    }
  }

  @Test
  void aChannelIdReadsThatChannelOnlyFromItsPartition() throws Exception {
    String topic = topic("channels", 4);
    for (int i = 0; i < 120; i++) {
      int channel = i % 6;
      send(new ProducerRecord<>(topic, utf8(String.valueOf(channel)), utf8("{\"n\":" + i + "}")));
    }
    List<JsonNode> lines = replayToJson(config(options(topic, null, 3, null, null)));
    assertThat(lines)
        .hasSize(20)
        .allSatisfy(l -> assertThat(l.path("key").asText()).isEqualTo("3"));
    assertThat(lines)
        .extracting(l -> l.path("value").path("n").asInt())
        .isSortedAccordingTo(Integer::compare)
        .startsWith(3, 9, 15);
  }

  @Test
  void toAnotherTopicKeepsKeysAndHeadersAndSaysWhereEachCameFrom() throws Exception {
    String topic = topic("source", 1);
    String target = topic + "-copy";
    for (int i = 0; i < 10; i++) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(topic, utf8("key" + i), utf8("payload " + i));
      r.headers().add(EventHeaders.EVENT_ID, utf8("w-" + i));
      r.headers().add(EventHeaders.CHANNEL, utf8("chan"));
      send(r);
    }
    ReplayConfig config =
        config(new ReplayRequest.Options(topic, null, null, "3", "8", target, false));
    try (ReplaySink sink = ReplaySinks.open(config, System.out, System.err)) {
      Replay.Summary summary = new Replay(config, System.err).run(sink);
      assertThat(summary.written()).isEqualTo(5);
      assertThat(summary.failed()).isZero();
    }
    try (TopicReader reader = new TopicReader(kafka, target)) {
      List<ConsumerRecord<byte[], byte[]>> copied = reader.readAtLeast(5, WAIT);
      assertThat(reader.readFor(Duration.ofSeconds(1))).hasSize(5);
      assertThat(copied)
          .extracting(r -> TopicReader.text(r.key()))
          .containsExactly("key3", "key4", "key5", "key6", "key7");
      assertThat(copied).extracting(r -> TopicReader.text(r.value())).startsWith("payload 3");
      assertThat(copied)
          .extracting(r -> TopicReader.header(r, EventHeaders.EVENT_ID))
          .containsExactly("w-3", "w-4", "w-5", "w-6", "w-7");
      assertThat(copied)
          .allSatisfy(
              r -> assertThat(TopicReader.header(r, EventHeaders.CHANNEL)).isEqualTo("chan"));
      assertThat(TopicReader.header(copied.get(0), EventHeaders.REPLAYED_FROM))
          .isEqualTo(topic + "/0/3");
    }
  }

  @Test
  void aTargetKafkaRefusesStopsTheReplayAfterItsFirstRecords() throws Exception {
    String topic = topic("refused", 1);
    for (int i = 0; i < 200; i++) {
      producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("v" + i)));
    }
    producer.flush();
    ReplayConfig config =
        config(new ReplayRequest.Options(topic, null, null, null, null, "not a topic!", false));
    Replay.Summary summary;
    try (ReplaySink sink = ReplaySinks.open(config, System.out, System.err)) {
      summary = new Replay(config, System.err).run(sink);
    }
    assertThat(summary.stopped()).isTrue();
    assertThat(summary.written()).isZero();
    assertThat(summary.failed()).isGreaterThanOrEqualTo(Republisher.GIVE_UP_AFTER);
  }

  @Test
  void deadLettersGoBackToTheirTopicAndThoseThatFailAgainStayWithTheNewReason() throws Exception {
    String original = topic("orders", 1);
    String dlq = original + ".dlq";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      admin
          .createTopics(List.of(new NewTopic(dlq, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    send(deadLetter(dlq, original, "{\"id\":1}", null, "w-1"));
    send(deadLetter(dlq, original, "{\"id\":2}", null, "w-2"));
    send(deadLetter(dlq, original, "{\"id\":3, \"cut", "5000", "w-3"));
    send(deadLetter(dlq, "not a topic!", "{\"id\":4}", null, "w-4"));

    ReplayConfig config =
        config(new ReplayRequest.Options(dlq, null, null, null, null, null, true));
    Replay.Summary summary;
    try (ReplaySink sink = ReplaySinks.open(config, System.out, System.err)) {
      summary = new Replay(config, System.err).run(sink);
    }
    assertThat(summary.read()).isEqualTo(4);
    assertThat(summary.written()).isEqualTo(2);
    assertThat(summary.failed()).isEqualTo(2);

    try (TopicReader reader = new TopicReader(kafka, original)) {
      List<ConsumerRecord<byte[], byte[]>> back = reader.readAtLeast(2, WAIT);
      assertThat(back)
          .extracting(r -> TopicReader.text(r.value()))
          .containsExactly("{\"id\":1}", "{\"id\":2}");
      assertThat(back)
          .allSatisfy(
              r -> {
                assertThat(TopicReader.header(r, EventHeaders.DLQ_REASON)).isNull();
                assertThat(TopicReader.header(r, EventHeaders.DLQ_TOPIC)).isNull();
              });
      assertThat(back)
          .extracting(r -> TopicReader.header(r, EventHeaders.EVENT_ID))
          .containsExactly("w-1", "w-2");
      assertThat(TopicReader.header(back.get(1), EventHeaders.REPLAYED_FROM))
          .isEqualTo(dlq + "/0/1");
    }
    try (TopicReader reader = new TopicReader(kafka, dlq)) {
      List<ConsumerRecord<byte[], byte[]>> all = reader.readAtLeast(6, WAIT);
      assertThat(all).hasSize(6);
      List<ConsumerRecord<byte[], byte[]>> again = all.subList(4, 6);
      assertThat(again)
          .extracting(r -> TopicReader.header(r, EventHeaders.EVENT_ID))
          .containsExactly("w-3", "w-4");
      assertThat(TopicReader.header(again.get(0), EventHeaders.DLQ_REASON))
          .isEqualTo(
              "re-drive failed: the dead letter keeps only the first 13 of the payload's 5000 bytes; the payload cannot be re-driven");
      assertThat(TopicReader.header(again.get(1), EventHeaders.DLQ_REASON))
          .startsWith("re-drive failed: InvalidTopicException");
      assertThat(TopicReader.header(again.get(1), EventHeaders.DLQ_TOPIC))
          .isEqualTo("not a topic!");
    }
  }

  private static ProducerRecord<byte[], byte[]> deadLetter(
      String dlq, String original, String value, String size, String eventId) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(dlq, utf8("k"), utf8(value));
    r.headers().add(EventHeaders.EVENT_ID, utf8(eventId));
    r.headers().add(EventHeaders.DLQ_REASON, utf8("handler failed"));
    r.headers().add(EventHeaders.DLQ_TOPIC, utf8(original));
    r.headers()
        .add(EventHeaders.PAYLOAD_SIZE, utf8(size == null ? String.valueOf(value.length()) : size));
    return r;
  }

  @Test
  void aReplayWhileWritersKeepWritingEndsAtTheEndOffsetsTakenAtStart() throws Exception {
    String topic = topic("busy", 1);
    for (int i = 0; i < 20_000; i++) {
      producer.send(new ProducerRecord<>(topic, utf8("k" + i % 10), utf8("{\"seq\":" + i + "}")));
    }
    producer.flush();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong(20_000);
    Thread writer =
        new Thread(
            () -> {
              while (writing.get()) {
                long n = written.getAndIncrement();
                producer.send(
                    new ProducerRecord<>(topic, utf8("k" + n % 10), utf8("{\"seq\":" + n + "}")));
              }
            },
            "replay-it-writer");
    writer.start();
    try {
      ReplayConfig config = config(options(topic, null, null, null, null));
      Replay.Summary summary;
      try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
          ReplaySink sink = ReplaySinks.open(config, nowhere, System.err)) {
        summary = new Replay(config, System.err).run(sink);
      }
      long afterwards = written.get();
      assertThat(summary.read()).isGreaterThanOrEqualTo(20_000).isLessThan(afterwards);
      assertThat(summary.written()).isEqualTo(summary.read());
      System.out.printf(
          "replay to JSON lines while writing: %d records in %d ms = %.0f records/s%n",
          summary.read(), summary.took().toMillis(), summary.perSecond());
    } finally {
      writing.set(false);
      writer.join(10_000);
    }
    ReplayConfig quiet = config(options(topic, null, null, null, "20000"));
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        ReplaySink sink = ReplaySinks.open(quiet, nowhere, System.err)) {
      Replay.Summary summary = new Replay(quiet, System.err).run(sink);
      assertThat(summary.written()).isEqualTo(20_000);
      System.out.printf(
          "replay to JSON lines, writers stopped: %d records in %d ms = %.0f records/s%n",
          summary.written(), summary.took().toMillis(), summary.perSecond());
    }
    String target = topic + "-copy";
    ReplayConfig copy =
        config(new ReplayRequest.Options(topic, null, null, null, "20000", target, false));
    try (ReplaySink sink = ReplaySinks.open(copy, System.out, System.err)) {
      Replay.Summary summary = new Replay(copy, System.err).run(sink);
      assertThat(summary.written()).isEqualTo(20_000);
      System.out.printf(
          "replay to another topic: %d records in %d ms = %.0f records/s%n",
          summary.written(), summary.took().toMillis(), summary.perSecond());
    }
  }

  @Test
  void anUnknownTopicIsRefusedBeforeAnythingIsReadAndNotCreated() throws Exception {
    String missing = "missing-" + UUID.randomUUID().toString().substring(0, 8);
    ReplayConfig config = config(options(missing, null, null, null, null));
    assertThatThrownBy(() -> new Replay(config, System.err).run(new JsonLinesSink(System.out)))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), InstanceOfAssertFactories.LIST)
        .containsExactly("--topic names no topic in Kafka at " + kafka + " (was " + missing + ")");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(missing);
    }
  }
}
