package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.header;
import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.embedded.DebianPostgres15;
import dev.zgres.events.EventHeaders;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.PlProxyCluster;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The partitioned chat (PL/Proxy proxy + two partitions, sql/plproxy) with one bridge per partition
 * publishing to one Kafka: consumers see one {@code chat.messages} stream, keyed by channel, in
 * each channel's order, every record saying which partition it came from. Skipped, naming the
 * packages, where PostgreSQL 15 with PL/Proxy is not installed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PartitionedChatStreamIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PlProxyCluster cluster;
  private static String kafka;
  private static final List<Bridge> bridges = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    String missing = DebianPostgres15.missing();
    assumeTrue(missing == null, () -> "PL/Proxy tests skipped: " + missing);
    cluster = PlProxyCluster.start(2);
    kafka = TestServers.kafkaBootstrap();
    for (int p = 0; p < 2; p++) {
      bridges.add(
          Bridges.start(
              cluster.partitions().get(p), kafka, Map.of("ZGRES_SOURCE_NAME", "chat-p" + p)));
    }
  }

  @AfterAll
  static void stop() {
    bridges.forEach(Bridge::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void messagesOfChannelsOnBothPartitionsArriveKeyedByChannelInChannelOrder() throws Exception {
    try (ChatApi chat = ChatApi.connect(cluster.proxy())) {
      int[] owners = usersOnBothPartitions(chat);
      int[] channels = {
        chat.createChannel(owners[0], "on p0", "public"),
        chat.createChannel(owners[1], "on p1", "public")
      };
      assertThat(cluster.partitionOf(channels[0])).isZero();
      assertThat(cluster.partitionOf(channels[1])).isOne();
      int perChannel = 25;
      List<List<Long>> posted = List.of(new ArrayList<>(), new ArrayList<>());
      for (int i = 0; i < perChannel; i++) {
        for (int c = 0; c < 2; c++) {
          // Each owner also writes in the other partition's channel: a shadow poster.
          int poster = owners[(c + i) % 2];
          posted.get(c).add(chat.postMessage(poster, channels[c], "message " + i));
        }
      }

      try (TopicReader reader = new TopicReader(kafka, "chat.messages")) {
        for (int c = 0; c < 2; c++) {
          String key = String.valueOf(channels[c]);
          List<ConsumerRecord<byte[], byte[]>> got =
              reader.await(
                  r ->
                      key.equals(text(r.key()))
                          && "message_created".equals(json(r).path("event").asText()),
                  perChannel,
                  WAIT);
          assertThat(got)
              .extracting(r -> json(r).get("message_id").asLong())
              .as("channel %s in the order it was written", key)
              .containsExactlyElementsOf(posted.get(c));
          assertThat(got)
              .extracting(r -> header(r, EventHeaders.PARTITION))
              .containsOnly("chat-p" + c);
        }
        List<String> ids =
            reader.records().stream().map(r -> header(r, EventHeaders.EVENT_ID)).toList();
        assertThat(ids).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void aDirectMessageBetweenUsersOnTwoPartitionsArrivesOnce() throws Exception {
    try (ChatApi chat = ChatApi.connect(cluster.proxy())) {
      int[] users = usersOnBothPartitions(chat);
      int low = Math.min(users[0], users[1]);
      int high = Math.max(users[0], users[1]);
      long message = chat.sendDirectMessage(high, low, "across partitions");

      try (TopicReader reader = new TopicReader(kafka, "chat.messages")) {
        assertThat(reader.await(r -> isMessage(r, message), 1, WAIT)).hasSize(1);
        List<ConsumerRecord<byte[], byte[]>> all = reader.readFor(Duration.ofSeconds(3));
        List<ConsumerRecord<byte[], byte[]>> copies =
            all.stream().filter(r -> isMessage(r, message)).toList();
        assertThat(copies).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = copies.getFirst();
        assertThat(header(record, EventHeaders.PARTITION))
            .isEqualTo("chat-p" + cluster.partitionOf(low));
        assertThat(json(record).get("user_id").asInt()).isEqualTo(high);
        assertThat(text(record.key())).isEqualTo(json(record).get("channel_id").asText());
        System.out.println(
            "partitions seen on chat.messages: "
                + all.stream()
                    .collect(
                        Collectors.groupingBy(
                            r -> String.valueOf(header(r, EventHeaders.PARTITION)),
                            Collectors.counting())));
      }
    }
  }

  private static boolean isMessage(ConsumerRecord<byte[], byte[]> r, long message) {
    JsonNode payload = json(r);
    return "message_created".equals(payload.path("event").asText())
        && payload.path("message_id").asLong() == message;
  }

  private static int[] usersOnBothPartitions(ChatApi chat) throws Exception {
    Integer[] found = new Integer[2];
    for (int i = 0; i < 64 && (found[0] == null || found[1] == null); i++) {
      int id = chat.newUser("stream");
      found[cluster.partitionOf(id)] = id;
    }
    assertThat(found).doesNotContainNull();
    return new int[] {found[0], found[1]};
  }

  private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
