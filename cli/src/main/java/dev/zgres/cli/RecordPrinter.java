package dev.zgres.cli;

import dev.zgres.consumers.consume.ConsumerLoop;
import dev.zgres.consumers.consume.ConsumerMeters;
import dev.zgres.consumers.consume.LoopConfig;
import dev.zgres.consumers.consume.Outcome;
import dev.zgres.consumers.consume.RetryPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The demo's window on Kafka: prints every record of every topic as it arrives (topic, key,
 * headers, value), through the consumer loop every consumer process uses, so a record the wal
 * source re-delivers after a restart is printed once.
 */
final class RecordPrinter implements AutoCloseable {
  private final PrintStream out;
  private final long startedNanos;
  private final AtomicLong records = new AtomicLong();
  private final ConsumerLoop loop;

  RecordPrinter(String bootstrap, PrintStream out, long startedNanos) {
    this.out = out;
    this.startedNanos = startedNanos;
    LoopConfig config =
        new LoopConfig(
            bootstrap,
            "zgres-demo-" + UUID.randomUUID(),
            List.of("~[^_].*"),
            Map.of("metadata.max.age.ms", "1000"),
            new RetryPolicy(1, Duration.ZERO, Duration.ZERO),
            10_000,
            Duration.ofSeconds(2));
    this.loop =
        new ConsumerLoop(
                "demo-printer",
                config,
                this::print,
                new ConsumerMeters(new SimpleMeterRegistry(), config.group()),
                Map.of())
            .start();
  }

  private Outcome print(ConsumerRecord<byte[], byte[]> r) {
    if (records.getAndIncrement() == 0) {
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
    return Outcome.DONE;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    loop.close();
  }
}
