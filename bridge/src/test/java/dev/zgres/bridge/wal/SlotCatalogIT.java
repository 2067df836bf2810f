package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlotCatalogIT {
  private static PgEndpoint db;

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  private static String slotName(String test) {
    return "zgres_catalog_" + test + "_" + ProcessHandle.current().pid();
  }

  @Test
  void createsTheSlotAndThePublicationOnceAndDropsAnIdleSlot() throws SQLException {
    String slot = slotName("idle");
    try (Connection c = TestServers.connect(db)) {
      SlotCatalog.ensurePublication(c, "catalog_pub");
      SlotCatalog.ensurePublication(c, "catalog_pub");
      SlotCatalog.SlotState state = SlotCatalog.ensureSlot(c, slot);
      assertThat(SlotCatalog.ensureSlot(c, slot)).isEqualTo(state);
      assertThat(state.plugin()).isEqualTo("pgoutput");
      assertThat(state.active()).isFalse();

      assertThat(SlotCatalog.drop(c, slot)).isInstanceOf(SlotCatalog.DropOutcome.Dropped.class);
      assertThat(SlotCatalog.find(c, slot)).isEmpty();
      assertThat(SlotCatalog.drop(c, slot)).isEqualTo(new SlotCatalog.DropOutcome.Missing());
    }
  }

  @Test
  void refusesToDropASlotThatIsBeingStreamedNamingTheProcess() throws Exception {
    String slot = slotName("busy");
    try (Connection c = TestServers.connect(db)) {
      SlotCatalog.ensurePublication(c, "catalog_pub");
      SlotCatalog.ensureSlot(c, slot);
      try (Connection replication = PgConnections.replication(db, "zgres-test");
          PGReplicationStream stream =
              replication
                  .unwrap(PGConnection.class)
                  .getReplicationAPI()
                  .replicationStream()
                  .logical()
                  .withSlotName(slot)
                  .withSlotOption("proto_version", "1")
                  .withSlotOption("publication_names", "catalog_pub")
                  .start()) {
        stream.readPending();
        SlotCatalog.DropOutcome outcome = SlotCatalog.drop(c, slot);
        assertThat(outcome).isInstanceOf(SlotCatalog.DropOutcome.Active.class);
        assertThat(((SlotCatalog.DropOutcome.Active) outcome).pid()).isPositive();
        assertThat(SlotCatalog.find(c, slot)).isPresent();
      }
      Await.until(
          "slot released after its stream closed",
          Duration.ofSeconds(10),
          () -> SlotCatalog.drop(c, slot) instanceof SlotCatalog.DropOutcome.Dropped);
    }
  }

  @Test
  void refusesASlotOfAnotherPluginSayingHowToFixIt() throws SQLException {
    String slot = slotName("other");
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
      try {
        assertThatThrownBy(() -> SlotCatalog.ensureSlot(c, slot))
            .isInstanceOf(ReplicationSetupException.class)
            .hasMessageContaining("with plugin test_decoding")
            .hasMessageContaining("zgres slot-drop --slot " + slot);
      } finally {
        SlotCatalog.drop(c, slot);
      }
    }
  }
}
