package dev.zgres.bench.partitioned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One measurement: {@code writers} threads call {@code chat.post_message} on {@code api} (each in
 * its own channel, auto-commit) for a fixed time, while a Kafka consumer reads {@code topic}; the
 * result is the writers' rate and, per message, the time from the end of its commit to its arrival
 * in Kafka.
 */
final class ChatWriteRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one run measured. */
  record Result(long written, double seconds, long delivered, Histogram latencyMicros) {
    double perSecond() {
      return written / seconds;
    }
  }

  /** A writer: its user and the channel it posts in. */
  record Writer(int userId, int channelId) {}

  private final Map<Long, Long> committedAt = new ConcurrentHashMap<>();
  // Records that arrived before their writer noted the commit (possible, if rare).
  private final Map<Long, Long> arrivedEarly = new ConcurrentHashMap<>();
  private final Histogram latency = new Histogram(60_000_000L, 3);
  private final AtomicLong written = new AtomicLong();

  Result run(PgEndpoint api, List<Writer> writers, String kafka, String topic, Duration length)
      throws InterruptedException {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + length.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (Writer w : writers) {
        threads.add(
            Thread.ofPlatform()
                .name("bench-writer-" + w.channelId())
                .start(() -> write(api, w, deadline)));
      }
      long start = System.nanoTime();
      while (threads.stream().anyMatch(Thread::isAlive)) {
        drain(consumer, Duration.ofMillis(50));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (latency.getTotalCount() + arrivedEarly.size() < written.get()
          && System.nanoTime() < wait) {
        drain(consumer, Duration.ofMillis(100));
      }
      arrivedEarly.forEach(
          (id, arrived) -> {
            Long committed = committedAt.remove(id);
            if (committed != null) {
              latency.recordValue(Math.max(0, (arrived - committed) / 1_000));
            }
          });
      return new Result(written.get(), seconds, latency.getTotalCount(), latency.copy());
    }
  }

  private void write(PgEndpoint api, Writer w, long deadline) {
    try (Connection c = DriverManager.getConnection(api.jdbcUrl(), api.user(), api.password());
        PreparedStatement post = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
      post.setInt(1, w.userId());
      post.setInt(2, w.channelId());
      for (long n = 0; System.nanoTime() < deadline; n++) {
        post.setString(3, "benchmark message " + n);
        try (ResultSet rs = post.executeQuery()) {
          rs.next();
          committedAt.put(rs.getLong(1), System.nanoTime());
        }
        written.incrementAndGet();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writer of channel " + w.channelId() + " failed", e);
    }
  }

  private void drain(KafkaConsumer<byte[], byte[]> consumer, Duration wait) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
      long now = System.nanoTime();
      Long committed = committedAt.remove(messageId(r.value()));
      if (committed != null) {
        latency.recordValue(Math.max(0, (now - committed) / 1_000));
      } else {
        arrivedEarly.put(messageId(r.value()), now);
      }
    }
  }

  private static long messageId(byte[] value) {
    try {
      JsonNode payload = JSON.readTree(value);
      return payload.path("message_id").asLong(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String kafka) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka,
            ConsumerConfig.GROUP_ID_CONFIG,
            "zgres-bench-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.METADATA_MAX_AGE_CONFIG,
            500,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class));
  }
}
