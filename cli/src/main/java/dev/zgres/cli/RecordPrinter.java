package dev.zgres.cli;

import dev.zgres.runtime.lifecycle.OwnedThread;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Prints every record of every topic as it arrives: topic, key, headers, value. */
final class RecordPrinter implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PrintStream out;
  private final long startedNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OwnedThread thread;
  private volatile long records;

  RecordPrinter(String bootstrap, PrintStream out, long startedNanos) {
    this.out = out;
    this.startedNanos = startedNanos;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "zgres-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                1_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    this.thread = new OwnedThread("zgres-demo-printer", this::run);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(Pattern.compile("[^_].*"));
      while (!closed.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          print(r);
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void print(ConsumerRecord<byte[], byte[]> r) {
    if (records++ == 0) {
      out.printf("-- first record after %.1f s%n", (System.nanoTime() - startedNanos) / 1e9);
    }
    StringBuilder headers = new StringBuilder();
    for (Header h : r.headers()) {
      headers
          .append(headers.isEmpty() ? "" : ", ")
          .append(h.key())
          .append('=')
          .append(text(h.value()));
    }
    out.printf("%s key=%s [%s]%n    %s%n", r.topic(), text(r.key()), headers, text(r.value()));
  }

  long records() {
    return records;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    consumer.wakeup();
    thread.stop(Duration.ofSeconds(5), Duration.ofSeconds(1));
  }
}
