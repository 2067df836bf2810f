package dev.zgres.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their beginning, for assertions: every record, in the order Kafka gives them.
 */
public final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  public TopicReader(String bootstrap, Collection<String> topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "zgres-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                500,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                16 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    consumer.subscribe(topics);
  }

  public TopicReader(String bootstrap, String... topics) {
    this(bootstrap, List.of(topics));
  }

  /**
   * Polls until {@code done} holds for the records read so far, or the timeout passes; returns them
   * all.
   */
  public List<ConsumerRecord<byte[], byte[]>> readUntil(
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(records) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    return List.copyOf(records);
  }

  /**
   * Polls until {@code count} records matching {@code filter} were read, or the timeout passed;
   * returns the matching records read so far (a test then asserts on the count it expected).
   */
  public List<ConsumerRecord<byte[], byte[]>> await(
      Predicate<ConsumerRecord<byte[], byte[]>> filter, int count, Duration timeout) {
    return readUntil(r -> r.stream().filter(filter).count() >= count, timeout).stream()
        .filter(filter)
        .toList();
  }

  /** Polls once, waiting up to {@code timeout}; returns the records this poll read. */
  public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
    consumer.poll(timeout).forEach(fresh::add);
    records.addAll(fresh);
    return fresh;
  }

  /** Polls until at least {@code count} records were read, or the timeout passes. */
  public List<ConsumerRecord<byte[], byte[]>> readAtLeast(int count, Duration timeout) {
    return readUntil(r -> r.size() >= count, timeout);
  }

  /** Polls for the whole of {@code period} (to see that nothing more arrives), then returns all. */
  public List<ConsumerRecord<byte[], byte[]>> readFor(Duration period) {
    return readUntil(r -> false, period);
  }

  public List<ConsumerRecord<byte[], byte[]>> records() {
    return List.copyOf(records);
  }

  public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
