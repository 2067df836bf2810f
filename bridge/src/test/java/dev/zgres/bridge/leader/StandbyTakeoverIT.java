package dev.zgres.bridge.leader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.testing.BridgeProcessMain;
import dev.zgres.bridge.testing.TickingEmitter;
import dev.zgres.bridge.wal.SlotCatalog;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.ChildJvm;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two bridge processes against one database: exactly one publishes; when it is killed (SIGKILL) the
 * standby takes over within five seconds. Measured from the kill to the standby reporting {@code
 * role: active} on {@code /health}, and to the first record, written after the kill, that reaches
 * Kafka.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandbyTakeoverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static PgEndpoint db;
  private static String kafka;

  @BeforeAll
  static void servers() {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
  }

  @Test
  void notifyStandbyTakesOverWithinFiveSecondsOfAKill() throws Exception {
    takeOver("notify");
  }

  @Test
  void walStandbyTakesOverWithinFiveSecondsOfAKillLosingNothing() throws Exception {
    takeOver("wal");
  }

  private void takeOver(String source) throws Exception {
    String name =
        "takeover_"
            + source
            + "_"
            + ProcessHandle.current().pid()
            + "_"
            + SEQUENCE.incrementAndGet();
    Map<String, String> settings =
        new HashMap<>(TestSettings.of(db, kafka).with("ZGRES_SOURCE", source).toMap());
    settings.put("ZGRES_CHANNELS", name);
    settings.put("ZGRES_SLOT", name);
    Path log = Files.createDirectories(Path.of("target", "fault-logs")).resolve(name + ".log");

    try (ChildJvm first = ChildJvm.start(BridgeProcessMain.class, settings, log);
        TopicReader reader = new TopicReader(kafka, name)) {
      first.awaitRole("active", Duration.ofSeconds(60));
      try (ChildJvm second = ChildJvm.start(BridgeProcessMain.class, settings, log)) {
        second.awaitRole("standby", Duration.ofSeconds(60));

        int steady;
        int steadyDuplicates;
        int emitted;
        double roleSeconds;
        double recordSeconds;
        TickingEmitter emitter = new TickingEmitter(db, name, source, 50);
        try {
          awaitEmitted(emitter, 20);
          steady = emitter.count();
          reader.readAtLeast(steady, Duration.ofSeconds(30));
          List<ConsumerRecord<byte[], byte[]>> before = reader.readFor(Duration.ofSeconds(1));
          steady = before.size();
          steadyDuplicates = before.size() - distinct(before);
          assertThat(steadyDuplicates).as("both bridges up: each event published once").isZero();

          long killedAt = System.nanoTime();
          first.kill();
          Double roleAt = null;
          Double recordAt = null;
          long deadline = killedAt + Duration.ofSeconds(20).toNanos();
          while ((roleAt == null || recordAt == null) && System.nanoTime() < deadline) {
            if (roleAt == null && "active".equals(second.role())) {
              roleAt = (System.nanoTime() - killedAt) / 1e9;
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(20))) {
              Long committed = emitter.committedAt(n(r));
              if (recordAt == null && committed != null && committed > killedAt) {
                recordAt = (System.nanoTime() - killedAt) / 1e9;
              }
            }
          }
          assertThat(roleAt).as("standby became active").isNotNull();
          assertThat(recordAt).as("a record written after the kill was published").isNotNull();
          roleSeconds = roleAt;
          recordSeconds = recordAt;
          awaitEmitted(emitter, emitter.count() + 20);
        } finally {
          emitter.close();
        }
        emitted = emitter.count();
        assertThat(second.role()).isEqualTo("active");
        List<ConsumerRecord<byte[], byte[]>> all =
            reader.readUntil(
                r -> r.stream().anyMatch(x -> n(x) == emitted), Duration.ofSeconds(30));
        int delivered = distinct(all);
        System.out.printf(
            "FAULT standby %s: takeover_seconds=%.2f first_record_after_kill_seconds=%.2f steady_state_records=%d"
                + " steady_state_duplicates=%d emitted=%d delivered=%d duplicates=%d%n",
            source,
            roleSeconds,
            recordSeconds,
            steady,
            steadyDuplicates,
            emitted,
            delivered,
            all.size() - delivered);

        if (source.equals("wal")) {
          assertThat(delivered).as("wal mode loses nothing across a takeover").isEqualTo(emitted);
        } else {
          assertThat(all.size()).as("notify mode: nothing published twice").isEqualTo(delivered);
        }
      }
    } finally {
      dropSlot(settings.get("ZGRES_SLOT"));
    }
  }

  private static void awaitEmitted(TickingEmitter emitter, int count) throws InterruptedException {
    Await.until(
        "emitter wrote " + count + " events",
        Duration.ofSeconds(30),
        () -> {
          assertThat(emitter.failure()).isNull();
          return emitter.count() >= count;
        });
  }

  private static int distinct(List<ConsumerRecord<byte[], byte[]>> records) {
    return (int) records.stream().mapToInt(StandbyTakeoverIT::n).distinct().count();
  }

  private static int n(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value()).get("n").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void dropSlot(String slot) throws SQLException {
    try (Connection c = TestServers.connect(db)) {
      SlotCatalog.drop(c, slot);
    }
  }
}
