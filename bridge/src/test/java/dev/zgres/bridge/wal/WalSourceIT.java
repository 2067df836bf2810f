package dev.zgres.bridge.wal;

import static dev.zgres.testkit.TopicReader.header;
import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.embedded.FreePort;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.replication.LogSequenceNumber;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WalSourceIT {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static PgEndpoint db;
  private static String kafka;
  private String slot;
  private String channel;

  @BeforeAll
  static void servers() {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
  }

  private void names() {
    int n = SEQUENCE.incrementAndGet();
    slot = "zgres_walit_" + ProcessHandle.current().pid() + "_" + n;
    channel = "walit_" + ProcessHandle.current().pid() + "_" + n;
  }

  @AfterEach
  void dropSlot() throws SQLException {
    try (Connection c = TestServers.connect(db)) {
      SlotCatalog.drop(c, slot);
    }
  }

  private Map<String, String> settings(String channels) {
    return new HashMap<>(
        TestSettings.of(db, kafka)
            .with("ZGRES_SOURCE", "wal")
            .with("ZGRES_CHANNELS", channels)
            .with("ZGRES_SLOT", slot)
            .with("ZGRES_PROBE_INTERVAL_MS", "200")
            .toMap());
  }

  private Bridge start(Map<String, String> env) throws SQLException {
    return Bridge.start(BridgeConfig.from(env));
  }

  /**
   * Runs each statement list in a transaction of its own, in wal mode; returns the WAL position
   * after.
   */
  private long emitWal(String... sqlPerTransaction) throws SQLException {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SET zgres.transport = 'wal'");
      for (String sql : sqlPerTransaction) {
        s.execute("BEGIN; " + sql + "; COMMIT");
      }
      try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
        rs.next();
        return lsn(rs.getString(1));
      }
    }
  }

  @Test
  void republishesMessagesVerbatimWithCommitLsnAndStableIdsInCommitOrder() throws Exception {
    names();
    try (Bridge bridge = start(settings(channel));
        TopicReader reader = new TopicReader(kafka, channel)) {
      emitWal(
          "SELECT zgres.emit('"
              + channel
              + "', '{\"n\":1,\"text\":\"é ✓ \\\\ \\\"\"}');"
              + " SELECT zgres.emit('"
              + channel
              + "', 'not json, carried anyway')",
          "CREATE TABLE IF NOT EXISTS wal_noise (id int); INSERT INTO wal_noise VALUES (1)",
          "SELECT zgres.emit('" + channel + "', '{\"n\":3}')");
      List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(3, Duration.ofSeconds(30));

      assertThat(records)
          .extracting(r -> text(r.value()))
          .containsExactly(
              "{\"n\":1,\"text\":\"é ✓ \\\\ \\\"\"}", "not json, carried anyway", "{\"n\":3}");
      assertThat(records)
          .allSatisfy(
              r -> {
                assertThat(text(r.key())).isEqualTo(channel);
                assertThat(header(r, EventHeaders.SOURCE)).isEqualTo("wal");
                assertThat(header(r, EventHeaders.CHANNEL)).isEqualTo(channel);
                assertThat(header(r, EventHeaders.EVENT_ID)).matches("w-[0-9A-F]+/[0-9A-F]+");
                assertThat(header(r, EventHeaders.LSN)).matches("[0-9A-F]+/[0-9A-F]+");
              });
      assertThat(header(records.get(0), EventHeaders.LSN))
          .isEqualTo(header(records.get(1), EventHeaders.LSN));
      assertThat(lsn(header(records.get(2), EventHeaders.LSN)))
          .isGreaterThan(lsn(header(records.get(1), EventHeaders.LSN)));
      assertThat(records).extracting(r -> header(r, EventHeaders.EVENT_ID)).doesNotHaveDuplicates();
      assertThat(bridge.health().details())
          .containsEntry("role", "active")
          .containsEntry("source", "wal");
    }
  }

  @Test
  void carriesPayloadsFarAboveNotifyLimit() throws Exception {
    names();
    String payload = "{\"big\":\"" + "x".repeat(100 * 1024) + "\"}";
    try (Bridge bridge = start(settings(channel));
        TopicReader reader = new TopicReader(kafka, channel)) {
      try (Connection c = TestServers.connect(db);
          PreparedStatement p = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
        c.createStatement().execute("SET zgres.transport = 'wal'");
        p.setString(1, channel);
        p.setString(2, payload);
        p.execute();
      }
      List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(1, Duration.ofSeconds(30));
      assertThat(records).hasSize(1);
      assertThat(records.get(0).value()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
      assertThat(bridge.health().up()).isTrue();
    }
  }

  @Test
  void carriesEventsOfChannelsTheBridgeWasNeverToldAbout() throws Exception {
    names();
    String unlisted = channel + "_never_listed";
    try (Bridge bridge = start(settings(channel));
        TopicReader reader = new TopicReader(kafka, unlisted)) {
      emitWal(
          "SELECT pg_logical_emit_message(true, 'someone-else:" + unlisted + "', 'not ours')",
          "SELECT zgres.emit('" + unlisted + "', 'first')",
          "SELECT zgres.emit('" + unlisted + "', 'second')");
      assertThat(reader.readAtLeast(2, Duration.ofSeconds(30)))
          .extracting(r -> text(r.value()))
          .containsExactly("first", "second");
      awaitSlotCaughtUp();
      assertThat(reader.readFor(Duration.ofSeconds(1))).hasSize(2);
      assertThat(bridge.registry().find(BridgeMeters.RECEIVED).tag("channel", "*").counter())
          .isNotNull()
          .satisfies(c -> assertThat(c.count()).isEqualTo(2.0));
    }
  }

  @Test
  void skipsOnlyExcludedChannelsCountingEverySkippedEvent() throws Exception {
    names();
    String excluded = channel + "_noisy_1";
    String kept = channel + "_kept";
    Map<String, String> env = settings(channel);
    env.put("ZGRES_WAL_EXCLUDE", channel + "_noisy_*");
    try (Bridge bridge = start(env);
        TopicReader reader = new TopicReader(kafka, kept)) {
      emitWal(
          "SELECT zgres.emit('" + excluded + "', 'skipped 1')",
          "SELECT zgres.emit('" + excluded + "', 'skipped 2')",
          "SELECT zgres.emit('" + kept + "', 'sentinel')");
      assertThat(reader.readAtLeast(1, Duration.ofSeconds(30)))
          .extracting(r -> text(r.value()))
          .containsExactly("sentinel");
      awaitSlotCaughtUp();
      assertThat(
              bridge
                  .registry()
                  .find(BridgeMeters.WAL_EXCLUDED)
                  .tag("channel", channel + "_noisy_*")
                  .counter()
                  .count())
          .isEqualTo(2.0);
      try (var admin =
          org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka))) {
        assertThat(admin.listTopics().names().get()).doesNotContain(excluded);
      }
      assertThat(Bridges.get(bridge.metricsPort(), "/metrics").body())
          .contains("zgres_wal_excluded_events_total{channel=\"" + channel + "_noisy_*\"");
    }
  }

  @Test
  void keepsTheSlotBehindUntilKafkaAcknowledgesThenDeliversEverything() throws Exception {
    names();
    Map<String, String> unreachable = settings(channel);
    unreachable.put("ZGRES_KAFKA_BOOTSTRAP", "127.0.0.1:" + FreePort.pick());
    unreachable.put("ZGRES_SHUTDOWN_TIMEOUT_MS", "500");
    unreachable.put("ZGRES_SLOT_LAG_WARN_MB", "1");
    long afterFirstCommit;
    try (Bridge bridge = start(unreachable)) {
      afterFirstCommit = emitWal("SELECT zgres.emit('" + channel + "', '{\"i\":0}')");
      for (int i = 1; i < 5; i++) {
        emitWal("SELECT zgres.emit('" + channel + "', '{\"i\":" + i + "}')");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      double lagBytes = 0;
      while (System.nanoTime() < deadline) {
        // Confirming past the first commit would mean a restart skips an event Kafka never had.
        assertThat(confirmedFlush())
            .as("slot confirmed position while Kafka is unreachable")
            .isLessThan(afterFirstCommit);
        lagBytes = bridge.registry().get(BridgeMeters.SLOT_LAG_BYTES).gauge().value();
        Thread.sleep(100);
      }
      assertThat(lagBytes).isPositive();
      assertThat(bridge.registry().get(BridgeMeters.SLOT_LAG_SECONDS).gauge().value()).isPositive();
      assertThat(bridge.registry().get(BridgeMeters.SLOT_UNACKNOWLEDGED).gauge().value())
          .isEqualTo(5);
      assertThat(bridge.registry().scrape())
          .contains(
              "zgres_slot_lag_bytes ",
              "zgres_slot_lag_seconds ",
              "zgres_slot_retained_bytes ",
              "zgres_slot_unacknowledged_events ");
    }
    try (Bridge bridge = start(settings(channel));
        TopicReader reader = new TopicReader(kafka, channel)) {
      List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(5, Duration.ofSeconds(30));
      assertThat(records)
          .extracting(r -> text(r.value()))
          .containsExactly("{\"i\":0}", "{\"i\":1}", "{\"i\":2}", "{\"i\":3}", "{\"i\":4}");
      awaitSlotCaughtUp();
      assertThat(confirmedFlush()).isGreaterThan(afterFirstCommit);
      assertThat(bridge.registry().get(BridgeMeters.SLOT_UNACKNOWLEDGED).gauge().value()).isZero();
    }
  }

  @Test
  void cleanRestartResumesWhereItStoppedWithoutRepeats() throws Exception {
    names();
    try (TopicReader reader = new TopicReader(kafka, channel)) {
      try (Bridge bridge = start(settings(channel))) {
        emitWal(
            "SELECT zgres.emit('" + channel + "', 'a')",
            "SELECT zgres.emit('" + channel + "', 'b')");
        assertThat(reader.readAtLeast(2, Duration.ofSeconds(30))).hasSize(2);
        assertThat(bridge.health().details()).containsEntry("role", "active");
      }
      emitWal("SELECT zgres.emit('" + channel + "', 'c')");
      try (Bridge bridge = start(settings(channel))) {
        reader.readAtLeast(3, Duration.ofSeconds(30));
        awaitSlotCaughtUp();
        assertThat(bridge.health().details()).containsEntry("role", "active");
        assertThat(reader.readFor(Duration.ofSeconds(1)))
            .extracting(r -> text(r.value()))
            .containsExactly("a", "b", "c");
      }
    }
  }

  @Test
  void secondBridgeOnTheSameSlotIsAHealthyStandbyUntilTheFirstStops() throws Exception {
    names();
    try (TopicReader reader = new TopicReader(kafka, channel)) {
      Bridge first = start(settings(channel));
      try (Bridge second = start(settings(channel))) {
        assertThat(first.health().details()).containsEntry("role", "active");
        assertThat(second.health().details()).containsEntry("role", "standby");
        assertThat(second.health().up()).isTrue();
        emitWal("SELECT zgres.emit('" + channel + "', 'one')");
        assertThat(reader.readAtLeast(1, Duration.ofSeconds(30))).hasSize(1);
        first.close();
        Await.until(
            "the standby became active",
            Duration.ofSeconds(10),
            () -> "active".equals(second.health().details().get("role")));
        assertThat(second.health().details()).containsEntry("role", "active");
        emitWal("SELECT zgres.emit('" + channel + "', 'two')");
        reader.readAtLeast(2, Duration.ofSeconds(30));
        awaitSlotCaughtUp();
        assertThat(reader.readFor(Duration.ofSeconds(1)))
            .extracting(r -> text(r.value()))
            .containsExactly("one", "two");
      } finally {
        first.close();
      }
    }
  }

  @Test
  void refusesARoleWithoutReplicationSayingWhatToChange() throws SQLException {
    names();
    String role = "zgres_norepl_" + ProcessHandle.current().pid();
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS " + role);
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' NOREPLICATION NOSUPERUSER");
    }
    Map<String, String> env = settings(channel);
    env.put("ZGRES_PG_USER", role);
    env.put("ZGRES_PG_PASSWORD", "pw");
    assertThatThrownBy(() -> start(env))
        .isInstanceOf(ReplicationSetupException.class)
        .hasMessageContaining("role " + role + " may not use replication")
        .hasMessageContaining("ALTER ROLE \"" + role + "\" REPLICATION");
  }

  private long confirmedFlush() throws SQLException {
    try (Connection c = TestServers.connect(db)) {
      return SlotCatalog.find(c, slot).orElseThrow().confirmedFlushLsn();
    }
  }

  /** Waits until the slot confirmed everything written so far (so nothing more is on its way). */
  private void awaitSlotCaughtUp() throws Exception {
    long target;
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
      rs.next();
      target = lsn(rs.getString(1));
    }
    Await.until("slot caught up", Duration.ofSeconds(30), () -> confirmedFlush() >= target);
  }

  private static long lsn(String text) {
    return LogSequenceNumber.valueOf(text).asLong();
  }
}
