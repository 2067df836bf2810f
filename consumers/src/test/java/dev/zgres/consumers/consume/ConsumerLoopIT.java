package dev.zgres.consumers.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The consumer loop against a real broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsumerLoopIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static String kafka;

  @BeforeAll
  static void broker() {
    kafka = TestServers.kafkaBootstrap();
  }

  private static String topic(int partitions) throws Exception {
    String name = "loop-it-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
    return name;
  }

  private static void produce(String topic, int from, int to) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(ProducerContract.settings(kafka, "loop-it", Map.of()))) {
      for (int i = from; i < to; i++) {
        producer.send(record(topic, "k" + i, "v" + i, "e-" + i)).get();
      }
    }
  }

  private static ProducerRecord<byte[], byte[]> record(
      String topic, String key, String value, String eventId) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    r.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static ConsumerLoop loop(String topic, String group, RecordHandler handler) {
    LoopConfig config =
        new LoopConfig(
            kafka,
            group,
            List.of(topic),
            Map.of("session.timeout.ms", "10000", "heartbeat.interval.ms", "1000"),
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20)),
            1_000,
            Duration.ofSeconds(5));
    return new ConsumerLoop(
            "loop-it",
            config,
            handler,
            new ConsumerMeters(new SimpleMeterRegistry(), group),
            Map.of())
        .start();
  }

  private static String value(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  @Test
  void poisonRecordGoesToTheDeadLetterTopicAndTheLoopCarriesOn() throws Exception {
    String topic = topic(1);
    produce(topic, 0, 3);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(ProducerContract.settings(kafka, "loop-it", Map.of()))) {
      producer.send(record(topic, "k", "poison", "e-poison")).get();
    }
    produce(topic, 3, 6);
    List<String> handled = new CopyOnWriteArrayList<>();
    try (ConsumerLoop loop =
        loop(
            topic,
            "g-" + UUID.randomUUID(),
            r -> {
              if (value(r).equals("poison")) {
                throw new IllegalArgumentException("cannot parse poison");
              }
              handled.add(value(r));
              return Outcome.DONE;
            })) {
      Await.until("six good records handled", WAIT, () -> handled.size() == 6);
      assertThat(handled).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
      assertThat(loop.health().up()).isTrue();
    }
    try (TopicReader dlq = new TopicReader(kafka, topic + ".dlq")) {
      List<ConsumerRecord<byte[], byte[]>> letters = dlq.readAtLeast(1, WAIT);
      assertThat(letters).hasSize(1);
      ConsumerRecord<byte[], byte[]> letter = letters.getFirst();
      assertThat(value(letter)).isEqualTo("poison");
      assertThat(TopicReader.header(letter, EventHeaders.DLQ_REASON))
          .isEqualTo("IllegalArgumentException: cannot parse poison");
      assertThat(TopicReader.header(letter, EventHeaders.DLQ_TOPIC)).isEqualTo(topic);
      assertThat(TopicReader.header(letter, EventHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
      assertThat(TopicReader.header(letter, EventHeaders.EVENT_ID)).isEqualTo("e-poison");
    }
  }

  @Test
  void restartResumesAfterTheLastCommittedRecord() throws Exception {
    String topic = topic(2);
    String group = "g-" + UUID.randomUUID();
    produce(topic, 0, 10);
    List<String> first = new CopyOnWriteArrayList<>();
    try (ConsumerLoop loop =
        loop(
            topic,
            group,
            r -> {
              first.add(value(r));
              return Outcome.DONE;
            })) {
      Await.until("ten records handled", WAIT, () -> first.size() == 10);
    }
    produce(topic, 10, 15);
    List<String> second = new CopyOnWriteArrayList<>();
    try (ConsumerLoop loop =
        loop(
            topic,
            group,
            r -> {
              second.add(value(r));
              return Outcome.DONE;
            })) {
      Await.until("five new records handled", WAIT, () -> second.size() >= 5);
      // read on for a moment: nothing committed before the restart may come back
      List<String> snapshot = List.copyOf(second);
      try (TopicReader probe = new TopicReader(kafka, topic)) {
        probe.readAtLeast(15, WAIT);
      }
      assertThat(second).isEqualTo(snapshot);
    }
    assertThat(second).containsExactlyInAnyOrder("v10", "v11", "v12", "v13", "v14");
  }

  @Test
  void twoInstancesSplitThePartitionsAndHandleEachRecordOnce() throws Exception {
    String topic = topic(4);
    String group = "g-" + UUID.randomUUID();
    Map<String, String> handledBy = new ConcurrentHashMap<>();
    List<String> repeats = new CopyOnWriteArrayList<>();
    try (ConsumerLoop a =
            loop(
                topic,
                group,
                r -> {
                  if (handledBy.put(value(r), "a") != null) {
                    repeats.add(value(r));
                  }
                  return Outcome.DONE;
                });
        ConsumerLoop b =
            loop(
                topic,
                group,
                r -> {
                  if (handledBy.put(value(r), "b") != null) {
                    repeats.add(value(r));
                  }
                  return Outcome.DONE;
                })) {
      Await.until(
          "the group's four partitions split between both instances",
          WAIT,
          () ->
              !a.assignedPartitions().isEmpty()
                  && !b.assignedPartitions().isEmpty()
                  && a.assignedPartitions().size() + b.assignedPartitions().size() == 4);
      produce(topic, 0, 200);
      Await.until("200 records handled", WAIT, () -> handledBy.size() == 200);
      assertThat(repeats).isEmpty();
      assertThat(handledBy.values()).contains("a", "b");
      assertThat(a.assignedPartitions()).doesNotContainAnyElementsOf(b.assignedPartitions());
      assertThat(a.assignedPartitions().size() + b.assignedPartitions().size()).isEqualTo(4);
    }
  }

  @Test
  void aRedeliveredEventIdIsHandledOnce() throws Exception {
    String topic = topic(1);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(ProducerContract.settings(kafka, "loop-it", Map.of()))) {
      producer.send(record(topic, "k", "first", "w-0/1A")).get();
      producer.send(record(topic, "k", "again", "w-0/1A")).get();
      producer.send(record(topic, "k", "next", "w-0/1B")).get();
    }
    List<String> handled = new CopyOnWriteArrayList<>();
    try (ConsumerLoop loop =
        loop(
            topic,
            "g-" + UUID.randomUUID(),
            r -> {
              handled.add(value(r));
              return Outcome.DONE;
            })) {
      Await.until("two records handled", WAIT, () -> handled.size() == 2);
      try (TopicReader probe = new TopicReader(kafka, topic)) {
        probe.readAtLeast(3, WAIT);
      }
      assertThat(handled).containsExactly("first", "next");
    }
  }
}
