package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.FreezableProxy;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bridge survives a killed connection and a Kafka outage without losing what it received. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ResilienceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void reconnectsAfterItsBackendIsTerminatedAndDeliversLaterEvents() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    try (Bridge bridge = Bridges.start(db, kafka, Map.of("ZGRES_CHANNELS", "resilience_it"))) {
      emit(db, "resilience_it", "before");
      int terminated;
      try (Connection c = TestServers.connect(db);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                      + "WHERE application_name = 'zgres-bridge' AND datname = current_database()")) {
        rs.next();
        terminated = rs.getInt(1);
      }
      assertThat(terminated).isEqualTo(1);
      Await.until(
          "the bridge to reconnect",
          WAIT,
          () -> counter(bridge, BridgeMeters.RECONNECTS) >= 1 && bridge.health().up());
      assertThat(counter(bridge, BridgeMeters.GAPS)).isEqualTo(1);
      emit(db, "resilience_it", "after");
      try (TopicReader records = new TopicReader(kafka, List.of("resilience_it"))) {
        assertThat(records.await(r -> true, 2, WAIT))
            .extracting(r -> text(r.value()))
            .containsExactly("before", "after");
      }
    }
  }

  @Test
  void oneReconnectRestoresListenerAndLeaderLockWhenEveryBackendIsTerminated() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    String channel = "killall_it";
    try (Bridge bridge = Bridges.start(db, kafka, Map.of("ZGRES_CHANNELS", channel));
        TopicReader records = new TopicReader(kafka, List.of(channel));
        Connection writer = TestServers.connect(db);
        PreparedStatement emit = writer.prepareStatement("SELECT zgres.emit(?, ?)")) {
      int total = 50;
      int killAfter = 10;
      long[] writtenAtMillis = new long[total];
      long killedAt = 0;
      int terminated = 0;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        if (i == killAfter) {
          // What a PostgreSQL restart or a failover does to the bridge: every session ends at once.
          try (Statement s = writer.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                          + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                          + " AND backend_type = 'client backend'")) {
            rs.next();
            terminated = rs.getInt(1);
          }
          killedAt = System.nanoTime();
        }
        long due = start + TimeUnit.MILLISECONDS.toNanos(100L * i);
        Await.until("write " + i + " to be due", WAIT, () -> System.nanoTime() >= due);
        emit.setString(1, channel);
        emit.setString(2, "{\"n\":" + i + "}");
        emit.execute();
        writtenAtMillis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      }
      assertThat(terminated).as("backends terminated (listener and leader lock)").isEqualTo(2);
      long[] afterKill = writtenAtMillis.clone();
      List<Integer> mustArrive =
          IntStream.range(killAfter, total).filter(i -> afterKill[i] >= 500).boxed().toList();
      List<String> expected = mustArrive.stream().map(i -> "{\"n\":" + i + "}").toList();
      List<String> delivered =
          records
              .readUntil(
                  got -> got.stream().map(r -> text(r.value())).toList().containsAll(expected),
                  Duration.ofSeconds(30))
              .stream()
              .map(r -> text(r.value()))
              .toList();
      List<Integer> lost =
          IntStream.range(killAfter, total)
              .filter(i -> !delivered.contains("{\"n\":" + i + "}"))
              .boxed()
              .toList();
      System.out.printf(
          "full backend kill (notify): %d backends terminated; lost %d events written after it%s;"
              + " leader lock kept: %s%n",
          terminated,
          lost.size(),
          lost.isEmpty()
              ? ""
              : " (written "
                  + afterKill[lost.get(0)]
                  + " to "
                  + afterKill[lost.get(lost.size() - 1)]
                  + " ms after the kill)",
          bridge.health().details().get("role"));
      assertThat(delivered).containsAll(expected);
      assertThat(bridge.health().details()).containsEntry("role", "active");
      assertThat(counter(bridge, BridgeMeters.TAKEOVERS)).isZero();
    }
  }

  @Test
  void reconnectsAfterPostgresqlRestarts() throws Exception {
    String kafka = TestServers.kafkaBootstrap();
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch()) {
      PgEndpoint db = new PgEndpoint(server.jdbcUrl(), "postgres", "");
      dev.zgres.runtime.postgres.SchemaMigrator.migrate(db);
      try (Bridge bridge =
          Bridges.start(
              db,
              kafka,
              Map.of("ZGRES_CHANNELS", "restart_it", "ZGRES_RECONNECT_MAX_BACKOFF_MS", "500"))) {
        server.stop();
        Await.until("the bridge to notice", WAIT, () -> !bridge.health().up());
        server.start();
        Await.until("the bridge to reconnect", WAIT, () -> bridge.health().up());
        // notify is at-most-once: the bridge may report itself up a moment before it LISTENs
        // again (it re-takes its leader lock after the listener reconnects), so emit until one
        // event gets through, then check that it is one of ours, carried verbatim.
        try (TopicReader records = new TopicReader(kafka, List.of("restart_it"))) {
          int[] sent = {0};
          Await.until(
              "an event emitted after the restart to reach Kafka",
              WAIT,
              () -> {
                emit(db, "restart_it", "after the restart " + sent[0]++);
                return !records.poll(Duration.ofMillis(300)).isEmpty();
              });
          assertThat(records.records())
              .extracting(r -> text(r.value()))
              .allMatch(v -> v.matches("after the restart \\d+"));
        }
        assertThat(counter(bridge, BridgeMeters.GAPS)).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void findsASilentlyDeadConnectionByItsProbeAndReconnects() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    int pgPort = java.net.URI.create(db.jdbcUrl().substring(5)).getPort();
    try (FreezableProxy proxy = new FreezableProxy(pgPort)) {
      PgEndpoint viaProxy =
          new PgEndpoint(
              db.jdbcUrl().replace(":" + pgPort + "/", ":" + proxy.port() + "/"),
              db.user(),
              db.password());
      try (Bridge bridge =
          Bridges.start(
              viaProxy,
              kafka,
              Map.of("ZGRES_CHANNELS", "halfopen_it", "ZGRES_PROBE_INTERVAL_MS", "500"))) {
        proxy.freeze();
        Await.until("the probe to notice the silent connection", WAIT, () -> !bridge.health().up());
        proxy.thawDroppingConnections();
        Await.until(
            "the bridge to reconnect",
            WAIT,
            () -> bridge.health().up() && counter(bridge, BridgeMeters.RECONNECTS) >= 1);
        emit(db, "halfopen_it", "after the cut");
        try (TopicReader records = new TopicReader(kafka, List.of("halfopen_it"))) {
          assertThat(records.await(r -> true, 1, WAIT))
              .extracting(r -> text(r.value()))
              .containsExactly("after the cut");
        }
        // The listener and the leader lock both lose their connections; depending on which notices
        // first, the outage is reported as one gap or two.
        assertThat(counter(bridge, BridgeMeters.GAPS)).isBetween(1.0, 2.0);
      }
    }
  }

  @Test
  void holdsEventsUnderBackPressureWhileKafkaIsDownAndDeliversThemInOrderAfter() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.launch()) {
      try (Bridge bridge =
          Bridges.start(
              db,
              broker.bootstrapServers(),
              Map.of(
                  "ZGRES_CHANNELS",
                  "outage_it",
                  "ZGRES_BACKLOG_CAPACITY",
                  "5",
                  "ZGRES_PRODUCER_PROPERTIES",
                  "max.block.ms=500,reconnect.backoff.max.ms=200"))) {
        broker.stop();
        for (int i = 0; i < 40; i++) {
          emit(db, "outage_it", "event-" + i);
        }
        Await.until(
            "the backlog to fill and the listener to be held back",
            WAIT,
            () ->
                bridge.health().details().get("backpressure").equals(true)
                    && bridge.health().details().get("backlog").equals(5));
        assertThat(gauge(bridge, BridgeMeters.BACKPRESSURE)).isEqualTo(1.0);
        // Held well past the ten attempts after which an older version gave events up.
        Await.until(
            "the first event to be retried many times",
            WAIT,
            () -> counter(bridge, BridgeMeters.RETRIES) >= 12);
        assertThat(counter(bridge, BridgeMeters.FAILED)).isZero();

        broker.start();
        try (TopicReader records =
            new TopicReader(broker.bootstrapServers(), List.of("outage_it"))) {
          assertThat(records.await(r -> true, 40, Duration.ofSeconds(60)))
              .extracting(r -> text(r.value()))
              .containsExactlyElementsOf(
                  IntStream.range(0, 40).mapToObj(i -> "event-" + i).toList());
        }
        Await.until(
            "back-pressure to be released",
            WAIT,
            () -> gauge(bridge, BridgeMeters.BACKPRESSURE) == 0.0);
      }
    }
  }

  static void emit(PgEndpoint db, String channel, String payload) throws SQLException {
    try (Connection c = TestServers.connect(db);
        PreparedStatement p = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
      p.setString(1, channel);
      p.setString(2, payload);
      p.execute();
    }
  }

  static double counter(Bridge bridge, String name) {
    return bridge.registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum()
        + bridge.registry().find(name).timers().stream().mapToDouble(t -> t.count()).sum();
  }

  static double gauge(Bridge bridge, String name) {
    return bridge.registry().get(name).gauge().value();
  }
}
