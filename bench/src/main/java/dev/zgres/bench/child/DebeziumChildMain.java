package dev.zgres.bench.child;

import dev.zgres.runtime.kafka.ProducerContract;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.JsonByteArray;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The peer the {@code debezium} scenario measures: Debezium's embedded engine with its PostgreSQL
 * connector (pgoutput, streaming only, no snapshot) capturing the rows of one table, each change
 * produced to one Kafka topic by a producer with zgres's own contract ({@link ProducerContract}:
 * idempotent, {@code acks=all}), each batch flushed before Debezium may commit its offsets, so that
 * both sides count the Kafka step. Settings come from {@code ZGRES_BENCH_DBZ_*} variables; status
 * lines as {@link BridgeChildMain}'s ({@code READY 0} once the streaming task runs).
 */
public final class DebeziumChildMain {
  private DebeziumChildMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    URI pg = URI.create(env.get("ZGRES_BENCH_DBZ_PG_URL").substring("jdbc:".length()));
    String topic = env.get("ZGRES_BENCH_DBZ_TOPIC");
    Properties props = new Properties();
    props.setProperty("name", "zgres-bench-debezium");
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty(
        "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "1000");
    props.setProperty("database.hostname", pg.getHost());
    props.setProperty("database.port", Integer.toString(pg.getPort()));
    props.setProperty("database.dbname", pg.getPath().substring(1));
    props.setProperty("database.user", env.get("ZGRES_BENCH_DBZ_PG_USER"));
    props.setProperty("database.password", env.getOrDefault("ZGRES_BENCH_DBZ_PG_PASSWORD", ""));
    props.setProperty("topic.prefix", "zgres_bench_dbz");
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", "zgres_bench_debezium");
    props.setProperty("slot.drop.on.stop", "true");
    props.setProperty("publication.name", "zgres_bench_debezium");
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("table.include.list", env.get("ZGRES_BENCH_DBZ_TABLE"));
    props.setProperty("snapshot.mode", "no_data");
    props.setProperty("converter.schemas.enable", "false");
    String poll = env.get("ZGRES_BENCH_DBZ_POLL_MS");
    if (poll != null && !poll.isBlank()) {
      props.setProperty("poll.interval.ms", poll);
    }
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            ProducerContract.settings(
                env.get("ZGRES_BENCH_DBZ_KAFKA"), "zgres-bench-debezium", Map.of()));
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> failure = new AtomicReference<>();
    DebeziumEngine<ChangeEvent<byte[], byte[]>> engine =
        DebeziumEngine.create(JsonByteArray.class)
            .using(props)
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void taskStarted() {
                    started.countDown();
                  }
                })
            .using(
                (success, message, error) -> {
                  if (!success) {
                    failure.set(message + (error == null ? "" : ": " + error));
                  }
                  started.countDown();
                })
            .notifying(
                (List<ChangeEvent<byte[], byte[]>> records,
                    DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer) -> {
                  for (ChangeEvent<byte[], byte[]> r : records) {
                    if (r.value() != null) {
                      producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
                    }
                  }
                  producer.flush();
                  for (ChangeEvent<byte[], byte[]> r : records) {
                    committer.markProcessed(r);
                  }
                  committer.markBatchFinished();
                })
            .build();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "zgres-bench-debezium"));
    executor.execute(engine);
    started.await(120, TimeUnit.SECONDS);
    if (failure.get() != null) {
      System.out.println(BridgeChildMain.FAILED + " " + failure.get().replace('\n', ' '));
      System.out.flush();
      System.exit(2);
    }
    System.out.println(BridgeChildMain.READY + " 0");
    System.out.flush();
    byte[] buffer = new byte[256];
    try {
      while (System.in.read(buffer) >= 0) {
        // end of input: the parent wants us gone
      }
    } catch (IOException e) {
      // the parent is gone
    }
    engine.close();
    executor.shutdown();
    executor.awaitTermination(30, TimeUnit.SECONDS);
    producer.close();
    System.exit(0);
  }
}
