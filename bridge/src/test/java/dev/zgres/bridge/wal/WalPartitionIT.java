package dev.zgres.bridge.wal;

import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.FreezableProxy;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A network partition that sends no FIN or RST is noticed in wal mode, and nothing is lost. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WalPartitionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void noticesASilentPartitionWithinTheSilenceTimeoutAndDeliversWhatWasWrittenDuringIt()
      throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    String slot = "zgres_partition_" + ProcessHandle.current().pid();
    String channel = "partition_it";
    int pgPort = URI.create(db.jdbcUrl().substring(5)).getPort();
    try (FreezableProxy proxy = new FreezableProxy(pgPort)) {
      PgEndpoint viaProxy =
          new PgEndpoint(
              db.jdbcUrl().replace(":" + pgPort + "/", ":" + proxy.port() + "/"),
              db.user(),
              db.password());
      try (Bridge bridge =
              Bridge.start(
                  BridgeConfig.from(
                      TestSettings.of(viaProxy, kafka)
                          .with("ZGRES_SOURCE", "wal")
                          .with("ZGRES_SLOT", slot)
                          .with("ZGRES_RECONNECT_MAX_BACKOFF_MS", "500")
                          .toMap()));
          TopicReader records = new TopicReader(kafka, channel)) {
        emitWal(db, channel, "before");
        assertThat(records.readAtLeast(1, WAIT))
            .extracting(r -> text(r.value()))
            .contains("before");

        proxy.freeze();
        long frozenAt = System.nanoTime();
        Await.until("the bridge to notice the silent partition", WAIT, () -> !bridge.health().up());
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        System.out.printf(
            "wal silent partition detected after %d ms (ZGRES_WAL_SILENCE_TIMEOUT_MS=%s)%n",
            detectedMillis, BridgeConfig.from(java.util.Map.of()).walSilenceTimeout().toMillis());

        emitWal(db, channel, "during");
        proxy.thawDroppingConnections();
        assertThat(records.await(r -> text(r.value()).equals("during"), 1, WAIT)).hasSize(1);
        Await.until("the bridge to be up again", WAIT, () -> bridge.health().up());
        assertThat(
                bridge.registry().find(BridgeMeters.RECONNECTS).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum())
            .isGreaterThanOrEqualTo(1.0);
      } finally {
        try (Connection c = TestServers.connect(db)) {
          Await.until(
              "the slot to be released",
              WAIT,
              () -> SlotCatalog.find(c, slot).map(s -> !s.active()).orElse(true));
          SlotCatalog.drop(c, slot);
        }
      }
    }
  }

  private static void emitWal(PgEndpoint db, String channel, String payload) throws SQLException {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SET zgres.transport = 'wal'");
      s.execute("SELECT zgres.emit('" + channel + "', '" + payload + "')");
    }
  }
}
