package dev.zgres.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GenericTriggerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PgEndpoint db;

  @BeforeAll
  static void database() throws SQLException {
    db = TestServers.freshDatabase();
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE inputs (id serial PRIMARY KEY, input_id int, value text, extra jsonb)");
      s.execute("SELECT zgres.watch_table('inputs', ARRAY['id','input_id','value'])");
    }
  }

  @Test
  void hostileValuesGiveValidJsonWithTheirExactText() throws Exception {
    String hostile =
        "quote\" backslash\\ newline\n tab\t unicode é✓🙂 nul-free ' ; DROP TABLE inputs; --";
    List<JsonNode> payloads =
        listenWhile(
            "db_notifications",
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement("INSERT INTO inputs (input_id, value) VALUES (?, ?)")) {
                p.setInt(1, 7);
                p.setString(2, hostile);
                p.executeUpdate();
                p.setNull(1, java.sql.Types.INTEGER);
                p.setNull(2, java.sql.Types.VARCHAR);
                p.executeUpdate();
              }
            });
    assertThat(payloads).hasSize(2);
    JsonNode first = payloads.get(0);
    assertThat(first.get("operation").asText()).isEqualTo("INSERT");
    assertThat(first.get("schema").asText()).isEqualTo("public");
    assertThat(first.get("table").asText()).isEqualTo("inputs");
    assertThat(first.get("timestamp").asText()).isNotBlank();
    assertThat(first.get("data").get("value").asText()).isEqualTo(hostile);
    assertThat(first.get("data").get("input_id").asInt()).isEqualTo(7);
    assertThat(first.get("data").has("extra")).isFalse();
    assertThat(payloads.get(1).get("data").get("value").isNull()).isTrue();
  }

  @Test
  void updateAndDeletePublishTheNewAndTheOldRow() throws Exception {
    List<JsonNode> payloads =
        listenWhile(
            "db_notifications",
            c -> {
              try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO inputs (input_id, value) VALUES (1, 'a')");
                s.execute("UPDATE inputs SET value = 'b' WHERE input_id = 1");
                s.execute("DELETE FROM inputs WHERE input_id = 1");
              }
            });
    assertThat(payloads)
        .extracting(p -> p.get("operation").asText())
        .containsExactly("INSERT", "UPDATE", "DELETE");
    assertThat(payloads)
        .extracting(p -> p.get("data").get("value").asText())
        .containsExactly("a", "b", "b");
  }

  @Test
  void unknownColumnIsRejectedWithItsName() throws SQLException {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE typo (id int)");
      assertThatThrownBy(() -> s.execute("SELECT zgres.watch_table('typo', ARRAY['idd'])"))
          .hasMessageContaining("has no column idd");
      s.execute(
          "CREATE TRIGGER t AFTER INSERT ON typo FOR EACH ROW EXECUTE FUNCTION zgres.notify_trigger('nope')");
      assertThatThrownBy(() -> s.execute("INSERT INTO typo VALUES (1)"))
          .hasMessageContaining("column \"nope\" does not exist");
    }
  }

  @Test
  void emitRejectsBadChannelsAndUnknownTransport() throws SQLException {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("SELECT zgres.emit('', 'x')"))
          .hasMessageContaining("must not be empty");
      assertThatThrownBy(() -> s.execute("SELECT zgres.emit(repeat('c', 64), 'x')"))
          .hasMessageContaining("at most 63 bytes (was 64 bytes");
      assertThatThrownBy(() -> s.execute("SELECT zgres.emit('c', NULL)"))
          .hasMessageContaining("must not be NULL");
      s.execute("SET zgres.transport = 'carrier-pigeon'");
      assertThatThrownBy(() -> s.execute("SELECT zgres.emit('c', 'x')"))
          .hasMessageContaining("zgres.transport must be notify or wal (was carrier-pigeon)");
    }
  }

  @Test
  void migrationsAreIdempotent() {
    assertThat(SchemaMigrator.migrate(db)).isZero();
  }

  interface Writes {
    void run(Connection c) throws Exception;
  }

  private static List<JsonNode> listenWhile(String channel, Writes writes) throws Exception {
    try (Connection listener = TestServers.connect(db);
        Connection writer = TestServers.connect(db)) {
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN " + channel);
      }
      writes.run(writer);
      List<JsonNode> out = new ArrayList<>();
      PGConnection pg = listener.unwrap(PGConnection.class);
      long deadline = System.currentTimeMillis() + 5_000;
      while (System.currentTimeMillis() < deadline) {
        PGNotification[] batch = pg.getNotifications(200);
        if (batch == null || batch.length == 0) {
          if (!out.isEmpty()) {
            break;
          }
          continue;
        }
        for (PGNotification n : batch) {
          out.add(JSON.readTree(n.getParameter()));
        }
      }
      return out;
    }
  }
}
