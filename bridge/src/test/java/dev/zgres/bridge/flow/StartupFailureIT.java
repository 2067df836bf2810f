package dev.zgres.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bridge that cannot start (its metrics port is taken) fails cleanly and leaks nothing. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StartupFailureIT {
  private static final List<String> BRIDGE_THREADS =
      List.of("zgres-publisher", "zgres-listener", "zgres-leader", "zgres-wal-reader");
  private static PgEndpoint db;
  private static String kafka;

  @BeforeAll
  static void servers() {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
  }

  private static boolean bridgeThreadsGone() {
    return Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && BRIDGE_THREADS.contains(t.getName()));
  }

  private static void failsOnBusyPort(Map<String, String> settings) throws Exception {
    try (ServerSocket busy = new ServerSocket(0)) {
      int port = busy.getLocalPort();
      Map<String, String> withPort = new java.util.HashMap<>(settings);
      withPort.put("ZGRES_METRICS_PORT", String.valueOf(port));
      assertThatThrownBy(() -> Bridges.start(db, kafka, withPort))
          .hasMessageContaining("cannot serve metrics on port " + port);
    }
    Await.until(
        "the failed bridge's threads ended", Duration.ofSeconds(20), () -> bridgeThreadsGone());
  }

  @Test
  void notifyBridgeOnABusyMetricsPortReleasesItsLeaderLockAndThreads() throws Exception {
    failsOnBusyPort(Map.of());
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("advisory locks left behind").isZero();
    }
    try (Bridge next = Bridges.start(db, kafka, Map.of())) {
      assertThat(next.health().details()).containsEntry("role", "active");
    }
  }

  @Test
  void walBridgeOnABusyMetricsPortReleasesItsSlot() throws Exception {
    Map<String, String> wal =
        Map.of(
            "ZGRES_SOURCE", "wal", "ZGRES_SLOT", "startup_it", "ZGRES_PUBLICATION", "startup_pub");
    failsOnBusyPort(wal);
    Await.until(
        "the slot is no longer streamed",
        Duration.ofSeconds(20),
        () -> {
          try (Connection c = TestServers.connect(db);
              Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT count(*) FROM pg_replication_slots"
                          + " WHERE slot_name = 'startup_it' AND active")) {
            rs.next();
            return rs.getInt(1) == 0;
          }
        });
    try (Bridge next = Bridges.start(db, kafka, wal)) {
      assertThat(next.health().details()).containsEntry("role", "active");
    }
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_drop_replication_slot('startup_it')");
    }
  }
}
