package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.testing.BridgeProcessMain;
import dev.zgres.bridge.testing.DeliveryAudit;
import dev.zgres.bridge.testing.SequencedWriter;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.ChildJvm;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.replication.LogSequenceNumber;

/**
 * wal mode, at-least-once under faults: writers commit a few thousand events on 20 channels while
 * the bridge process is killed (SIGKILL) four times, the Kafka broker restarts once and PostgreSQL
 * restarts once. Afterwards every committed event is in Kafka, no rolled-back one is, each
 * channel's events are in commit order (ignoring repeats), and a repeated event keeps its id. Runs
 * on servers of its own, since it restarts them.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WalDeliveryFaultIT {
  private static final int CHANNELS = 20;
  private static final int WRITERS = 4;
  private static final int TRANSACTIONS_PER_WRITER = 750;
  private static final long PAUSE_MILLIS = 20;

  @Test
  void deliversEveryCommittedEventInOrderAcrossKillsAndRestarts() throws Exception {
    long started = System.nanoTime();
    Path logs = Files.createDirectories(Path.of("target", "fault-logs"));
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.launch();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.launch()) {
      SchemaMigrator.migrate(new PgEndpoint(pg.jdbcUrl(), "postgres", ""));
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
          Statement s = c.createStatement()) {
        s.execute(SequencedWriter.TABLE_DDL);
        s.execute("ALTER DATABASE postgres SET zgres.transport = 'wal'");
      }
      Map<String, String> settings =
          TestSettings.of(new PgEndpoint(pg.jdbcUrl(), "postgres", ""), kafka.bootstrapServers())
              .with("ZGRES_SOURCE", "wal")
              .with("ZGRES_CHANNELS", "chat_message_*")
              .with("ZGRES_RECONNECT_MAX_BACKOFF_MS", "1000")
              .with("ZGRES_PROBE_INTERVAL_MS", "1000")
              .toMap();
      Path log = logs.resolve("wal-fault-bridges.log");
      Files.deleteIfExists(log);
      ChildJvm bridge = ChildJvm.start(BridgeProcessMain.class, settings, log);
      bridge.awaitRole("active", Duration.ofSeconds(60));

      AtomicInteger written = new AtomicInteger();
      long writeDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      List<SequencedWriter> writers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int[] owned = new int[CHANNELS / WRITERS];
        for (int i = 0; i < owned.length; i++) {
          owned[i] = 1 + w + i * WRITERS;
        }
        SequencedWriter writer =
            new SequencedWriter(
                pg.jdbcUrl(), owned, TRANSACTIONS_PER_WRITER, PAUSE_MILLIS, written, writeDeadline);
        writers.add(writer);
        threads.add(Thread.ofPlatform().name("fault-writer-" + w).start(writer));
      }

      int expected = WRITERS * TRANSACTIONS_PER_WRITER * 6 / 5;
      int kills = 0;
      awaitWritten(written, expected / 10, writeDeadline);
      bridge = killAndRestart(bridge, settings, log);
      kills++;
      awaitWritten(written, expected / 4, writeDeadline);
      bridge = killAndRestart(bridge, settings, log);
      kills++;
      awaitWritten(written, expected * 2 / 5, writeDeadline);
      System.out.println("fault: restarting Kafka at written=" + written.get());
      kafka.stop();
      kafka.start();
      awaitWritten(written, expected / 2, writeDeadline);
      bridge = killAndRestart(bridge, settings, log);
      kills++;
      awaitWritten(written, expected * 13 / 20, writeDeadline);
      System.out.println("fault: restarting PostgreSQL at written=" + written.get());
      pg.stop();
      pg.start();
      awaitReconnected(bridge);
      awaitWritten(written, expected * 4 / 5, writeDeadline);
      bridge = killAndRestart(bridge, settings, log);
      kills++;

      for (Thread t : threads) {
        t.join(Duration.ofMillis(Math.max(1, (writeDeadline - System.nanoTime()) / 1_000_000)));
      }
      for (SequencedWriter writer : writers) {
        assertThat(writer.failure()).as("writer failure").isNull();
      }
      int writerRetries = writers.stream().mapToInt(SequencedWriter::retries).sum();

      Set<String> committed = committedEvents(pg.jdbcUrl());
      List<ConsumerRecord<byte[], byte[]>> records;
      try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "chat.messages")) {
        records =
            reader.readUntil(
                r -> r.size() >= committed.size() && DeliveryAudit.allDelivered(committed, r),
                Duration.ofSeconds(90));
        awaitSlotConfirmedEverything(pg.jdbcUrl());
      } finally {
        bridge.close();
      }
      DeliveryAudit audit = DeliveryAudit.of(committed, records);
      System.out.printf(
          "FAULT wal: written=%d delivered=%d lost=%d duplicates=%d phantom=%d out_of_order=%d unstable_ids=%d"
              + " bridge_kills=%d kafka_restarts=1 pg_restarts=1 writer_retries=%d seconds=%.1f%n",
          audit.written(),
          audit.delivered(),
          audit.lost(),
          audit.duplicates(),
          audit.phantom(),
          audit.outOfOrder(),
          audit.unstableIds(),
          kills,
          writerRetries,
          (System.nanoTime() - started) / 1e9);

      assertThat(audit.written()).isEqualTo(expected);
      assertThat(audit.lost()).as("committed events missing from Kafka").isZero();
      assertThat(audit.delivered()).isEqualTo(expected);
      assertThat(audit.phantom()).as("events in Kafka that never committed").isZero();
      assertThat(audit.outOfOrder()).as("events out of commit order within their channel").isZero();
      assertThat(audit.unstableIds())
          .as("repeated events with a different zgres-event-id")
          .isZero();
    }
  }

  private static ChildJvm killAndRestart(ChildJvm bridge, Map<String, String> settings, Path log)
      throws Exception {
    System.out.println("fault: killing bridge process " + bridge.pid());
    bridge.kill();
    ChildJvm next = ChildJvm.start(BridgeProcessMain.class, settings, log);
    next.awaitRole("active", Duration.ofSeconds(60));
    return next;
  }

  /** The bridge noticed the restart by itself and streams the slot again. */
  private static void awaitReconnected(ChildJvm bridge) throws InterruptedException {
    Await.until(
        "bridge reconnected after the PostgreSQL restart",
        Duration.ofSeconds(30),
        () ->
            bridge.metric("zgres_source_reconnects_total{source=\"wal\"}") >= 1
                && "active".equals(bridge.role()));
  }

  /** After the faults the slot moves again: it confirms all the WAL written so far. */
  private static void awaitSlotConfirmedEverything(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      long target;
      try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
        rs.next();
        target = LogSequenceNumber.valueOf(rs.getString(1)).asLong();
      }
      Await.until(
          "slot confirmed all WAL after the faults",
          Duration.ofSeconds(30),
          () -> SlotCatalog.find(c, "zgres_slot").orElseThrow().confirmedFlushLsn() >= target);
    }
  }

  private static void awaitWritten(AtomicInteger written, int count, long deadlineNanos) {
    Await.until(
        "writers reached " + count + " events",
        Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())),
        () -> written.get() >= count);
  }

  private static Set<String> committedEvents(String url) throws SQLException {
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
}
