package dev.zgres.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the fault run delivered, compared with what committed: events delivered, lost, repeated,
 * invented (phantom), and order violations (an event of a channel after a later one of the same
 * channel, ignoring repeats).
 */
record FaultAudit(
    int written, int delivered, int lost, int duplicates, int orderViolations, int phantom) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code channel:seq} of every committed event, from {@code fault_events}. */
  static Set<String> committed(String url) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT channel, seq FROM fault_events")) {
      while (rs.next()) {
        ids.add(rs.getInt(1) + ":" + rs.getInt(2));
      }
    }
    return ids;
  }

  /**
   * Reads {@code topic} from the start until every committed event was seen or nothing new came for
   * {@code quiet}, and audits it.
   */
  static FaultAudit read(String bootstrap, String topic, Set<String> committed, Duration quiet) {
    Set<String> seen = new HashSet<>();
    Map<Integer, Integer> lastSeq = new HashMap<>();
    int duplicates = 0;
    int violations = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "zgres-bench-faults-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(java.util.List.of(topic));
      long lastProgress = System.nanoTime();
      while (!seen.containsAll(committed) && System.nanoTime() - lastProgress < quiet.toNanos()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          lastProgress = System.nanoTime();
          JsonNode json = parse(r.value());
          int channel = json.get("c").asInt();
          int seq = json.get("s").asInt();
          if (!seen.add(channel + ":" + seq)) {
            duplicates++;
            continue;
          }
          Integer previous = lastSeq.put(channel, seq);
          if (previous != null && seq <= previous) {
            violations++;
          }
        }
      }
    }
    int delivered = (int) seen.stream().filter(committed::contains).count();
    return new FaultAudit(
        committed.size(),
        delivered,
        committed.size() - delivered,
        duplicates,
        violations,
        seen.size() - delivered);
  }

  private static JsonNode parse(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new IllegalStateException("a record on the fault topic is not a fault event", e);
    }
  }
}
