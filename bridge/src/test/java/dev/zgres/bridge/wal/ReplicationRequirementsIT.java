package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.embedded.EmbeddedPostgresServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server not set up for logical decoding: the bridge refuses to start and says what to change.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicationRequirementsIT {

  @Test
  void refusesWalLevelReplicaAndNoSlotsListingEachFix() {
    try (EmbeddedPostgresServer pg =
        EmbeddedPostgresServer.launch(
            false, Map.of("wal_level", "replica", "max_replication_slots", "0"))) {
      Map<String, String> env =
          Map.of(
              "ZGRES_PG_URL", pg.jdbcUrl(),
              "ZGRES_KAFKA_BOOTSTRAP", "127.0.0.1:9",
              "ZGRES_SOURCE", "wal",
              "ZGRES_METRICS_PORT", "0");
      assertThatThrownBy(() -> Bridge.start(BridgeConfig.from(env)).close())
          .isInstanceOf(ReplicationSetupException.class)
          .hasMessageContaining("PostgreSQL is not ready for ZGRES_SOURCE=wal")
          .hasMessageContaining(
              "wal_level must be logical (is replica): run ALTER SYSTEM SET wal_level = logical;"
                  + " as a superuser, then restart PostgreSQL")
          .hasMessageContaining("max_replication_slots must be at least 1 (is 0)");
    }
  }
}
