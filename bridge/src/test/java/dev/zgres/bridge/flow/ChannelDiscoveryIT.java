package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pattern channels are found at start, followed as they come and go, and scale to thousands. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChannelDiscoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void listensOnChannelsRegisteredWhileRunningAndDropsRemovedOnes() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    try (Bridge bridge =
        Bridges.start(
            db,
            kafka,
            Map.of("ZGRES_CHANNELS", "disco_*", "ZGRES_ROUTES", "disco_*=disco.it|{*}"))) {
      int base = bridge.health().details().get("channels") instanceof Integer n ? n : -1;
      sql(db, "SELECT zgres.register_channel('disco_1')");
      Await.until("disco_1 to be LISTENed", WAIT, () -> channels(bridge) == base + 1);
      assertThat(listenedAt(db, "disco_1")).isTrue();
      ResilienceIT.emit(db, "disco_1", "direct");

      sql(db, "SELECT zgres.unregister_channel('disco_1')");
      Await.until("disco_1 to be UNLISTENed", WAIT, () -> channels(bridge) == base);
      sql(db, "SELECT zgres.register_channel('not_matching_9')");
      ResilienceIT.emit(db, "not_matching_9", "ignored");

      try (TopicReader records = new TopicReader(kafka, List.of("disco.it"))) {
        assertThat(records.await(r -> true, 1, WAIT))
            .extracting(r -> text(r.value()))
            .containsExactly("direct");
      }
      assertThat(channels(bridge)).isEqualTo(base);
    }
  }

  @Test
  void deliversAMessageEmittedInTheTransactionThatCreatedItsChannel() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    try (Bridge bridge =
        Bridges.start(
            db, kafka, Map.of("ZGRES_CHANNELS", "txn_*", "ZGRES_ROUTES", "txn_*=txn.it|{*}"))) {
      try (Connection c = TestServers.connect(db)) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT zgres.register_channel('txn_7')");
          s.execute("SELECT zgres.emit('txn_7', 'born with its channel')");
          s.execute("SELECT zgres.emit('txn_7', '" + "x".repeat(9_000) + "')");
        }
        c.commit();
      }
      try (TopicReader records = new TopicReader(kafka, List.of("txn.it"))) {
        assertThat(records.await(r -> true, 2, WAIT))
            .extracting(r -> text(r.value()))
            .containsExactly("born with its channel", "x".repeat(9_000));
      }
      Await.until(
          "the spilled payload's row to be cleaned up after the ack",
          WAIT,
          () -> spillRows(db) == 0);
    }
  }

  @Test
  void holdsTenThousandChannelsOnOneConnection() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    sql(
        db,
        "INSERT INTO zgres.channel_registry (channel) SELECT 'many_' || g FROM generate_series(1, 10000) g");
    long started = System.nanoTime();
    try (Bridge bridge =
        Bridges.start(
            db, kafka, Map.of("ZGRES_CHANNELS", "many_*", "ZGRES_ROUTES", "many_*=many.it|{*}"))) {
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("DISCOVERY listened on %d channels in %d ms%n", channels(bridge), millis);
      assertThat(channels(bridge)).isEqualTo(10_000 + 2);
      try (Connection c = TestServers.connect(db);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM zgres.channel_registry WHERE listened_at IS NULL")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      ResilienceIT.emit(db, "many_1", "first");
      ResilienceIT.emit(db, "many_10000", "last");
      try (TopicReader records = new TopicReader(kafka, List.of("many.it"))) {
        assertThat(records.await(r -> true, 2, WAIT))
            .extracting(r -> text(r.key()) + "=" + text(r.value()))
            .containsExactly("1=first", "10000=last");
      }
    }
  }

  private static int channels(Bridge bridge) {
    return (Integer) bridge.health().details().get("channels");
  }

  private static void sql(PgEndpoint db, String sql) throws Exception {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static boolean listenedAt(PgEndpoint db, String channel) throws Exception {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT listened_at IS NOT NULL FROM zgres.channel_registry WHERE channel = '"
                    + channel
                    + "'")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static int spillRows(PgEndpoint db) {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM zgres.spill")) {
      rs.next();
      return rs.getInt(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
