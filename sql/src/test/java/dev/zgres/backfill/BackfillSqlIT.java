package dev.zgres.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** sql/V018: a SNAPSHOT row is the INSERT event of the same row with another operation. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackfillSqlIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ODD_COLUMN = "we,ird \"col\" \\ é";
  private static PgEndpoint db;

  @BeforeAll
  static void database() throws Exception {
    db = TestServers.freshDatabase();
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE public.things (id int PRIMARY KEY, \"we,ird \"\"col\"\" \\ é\" text,"
              + " note text, hidden text)");
      try (PreparedStatement p =
          c.prepareStatement("SELECT zgres.watch_table('public.things', ?, 'things_ch')")) {
        p.setArray(1, c.createArrayOf("text", new String[] {"id", ODD_COLUMN, "note"}));
        p.execute();
      }
    }
  }

  @Test
  void theRoutesAreReadFromTheTriggerArguments() throws Exception {
    try (Connection c = TestServers.connect(db);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT * FROM zgres.watch_routes('public.things')")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("channel")).isEqualTo("things_ch");
      assertThat((String[]) rs.getArray("columns").getArray())
          .containsExactly("id", ODD_COLUMN, "note");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aSnapshotRowCarriesWhatTheTriggerWouldWithOperationSnapshot() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (Connection listener = TestServers.connect(db);
        Connection writer = TestServers.connect(db)) {
      listener.createStatement().execute("LISTEN things_ch");
      try (PreparedStatement p =
          writer.prepareStatement("INSERT INTO public.things VALUES (1, ?, ?, 'secret')")) {
        p.setString(1, "quote\" backslash\\ newline\n ✓");
        p.setNull(2, java.sql.Types.VARCHAR);
        p.execute();
      }
      long run;
      try (ResultSet rs =
          writer
              .createStatement()
              .executeQuery("SELECT run_id FROM zgres.backfill_begin('public.things', NULL)")) {
        rs.next();
        run = rs.getLong(1);
      }
      writer.setAutoCommit(false);
      writer.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (ResultSet rs =
          writer
              .createStatement()
              .executeQuery(
                  "SELECT * FROM zgres.backfill_batch(" + run + ", NULL, 10, NULL, now())")) {
        rs.next();
        assertThat(rs.getInt("emitted")).isEqualTo(1);
        assertThat((String[]) rs.getArray("last_key").getArray()).containsExactly("1");
      }
      writer.commit();
      writer.setAutoCommit(true);
      writer.createStatement().execute("SELECT zgres.backfill_end(" + run + ")");
      PGConnection pg = listener.unwrap(PGConnection.class);
      long deadline = System.currentTimeMillis() + 10_000;
      while (events.size() < 4 && System.currentTimeMillis() < deadline) {
        PGNotification[] batch = pg.getNotifications(200);
        if (batch != null) {
          for (PGNotification n : batch) {
            events.add(JSON.readTree(n.getParameter()));
          }
        }
      }
    }
    assertThat(events)
        .extracting(e -> e.path("operation").asText())
        .containsExactly("INSERT", "SNAPSHOT_START", "SNAPSHOT", "SNAPSHOT_END");
    JsonNode insert = events.get(0);
    JsonNode snapshot = events.get(2);
    assertThat(snapshot.path("data")).isEqualTo(insert.path("data"));
    assertThat(snapshot.path("data").has("hidden")).isFalse();
    assertThat(snapshot.path("schema")).isEqualTo(insert.path("schema"));
    assertThat(snapshot.path("table")).isEqualTo(insert.path("table"));
    assertThat(events.get(1).path("data").path("run").asLong()).isPositive();
  }

  @Test
  void aTableWithoutTheGenericTriggerIsRefusedByName() throws Exception {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.plain (id int PRIMARY KEY)");
      assertThatThrownBy(() -> s.execute("SELECT zgres.backfill_begin('public.plain', NULL)"))
          .hasMessageContaining("plain is not watched: call zgres.watch_table('plain') first");
    }
  }

  @Test
  void theMigrationCanBeAppliedAgain() throws Exception {
    String script;
    try (InputStream in =
        BackfillSqlIT.class.getResourceAsStream("/zgres/sql/V018__zgres_backfill.sql")) {
      assertThat(in).as("V018 on the class path").isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute(script);
      s.execute(script);
      try (ResultSet rs =
          s.executeQuery("SELECT count(*) FROM zgres.watch_routes('public.things')")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }
}
