package dev.zgres.bench.partitioned;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.embedded.DebianPostgres15;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.postgres.SchemaRole;
import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark cell of the partitioned chat (sql/plproxy): the same chat writes ({@code
 * chat.post_message}, each writer in a channel of its own) on one database, and through a PL/Proxy
 * proxy to 1 and to 2 partitions, with a bridge per database into one Kafka. Prints the writers'
 * rate, its ratio to the single database, and commit → Kafka latency. Everything runs on one
 * PostgreSQL 15 server from Debian's packages ({@code postgresql-15 postgresql-15-plproxy}) and an
 * in-process broker, so two partitions share this machine's cores: the cell shows the cost of the
 * proxy and of the extra bridge, not the gain of a second machine.
 *
 * <p>{@code java -cp zgres-bench.jar dev.zgres.bench.partitioned.PartitionedChatCell [seconds]
 * [writers]} (defaults 15 and 4).
 */
public final class PartitionedChatCell {
  private PartitionedChatCell() {}

  public static void main(String[] args) throws Exception {
    Duration length = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String missing = DebianPostgres15.missing();
    if (missing != null) {
      System.err.println("cannot run the partitioned chat cell: " + missing);
      System.exit(2);
    }
    List<String> rows = new ArrayList<>();
    double baseline = 0;
    try (DebianPostgres15 pg = DebianPostgres15.start();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.launch()) {
      // Warm-up, not reported: JIT, broker and first-topic costs would otherwise land on the
      // first cell.
      cell(pg, kafka.bootstrapServers(), "warm-up", 1, writers, Duration.ofSeconds(5));
      for (int partitions : new int[] {0, 1, 2}) {
        String name = partitions == 0 ? "single" : "proxy-" + partitions;
        ChatWriteRun.Result r =
            cell(pg, kafka.bootstrapServers(), name, partitions, writers, length);
        if (partitions == 0) {
          baseline = r.perSecond();
        }
        rows.add(
            String.format(
                "%-8s %8.0f %7.2f %8.3f %9d/%-9d %8.1f %8.1f %8.1f",
                name,
                r.perSecond(),
                r.perSecond() / baseline,
                writers * r.seconds() * 1000 / r.written(),
                r.delivered(),
                r.written(),
                r.latencyMicros().getValueAtPercentile(50) / 1000.0,
                r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                r.latencyMicros().getMaxValue() / 1000.0));
      }
    }
    System.out.printf(
        "%nchat.post_message, %d writers, %d s per cell, %d cores%n",
        writers, length.toSeconds(), Runtime.getRuntime().availableProcessors());
    System.out.println(
        "cell      writes/s   ratio  ms/call   delivered/written   p50 ms   p99 ms   max ms"
            + "  (latencies: commit -> Kafka)");
    rows.forEach(System.out::println);
  }

  private static ChatWriteRun.Result cell(
      DebianPostgres15 pg, String kafka, String name, int partitions, int writers, Duration length)
      throws Exception {
    String prefix = "cell_" + name.replace('-', '_');
    List<PgEndpoint> bridged = new ArrayList<>();
    PgEndpoint api;
    if (partitions == 0) {
      api = database(pg, prefix);
      SchemaMigrator.migrate(api);
      bridged.add(api);
    } else {
      List<String> libpq = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        PgEndpoint db = database(pg, prefix + "_p" + p);
        SchemaMigrator.migrate(db, new SchemaRole.Partition(p, partitions));
        bridged.add(db);
        libpq.add(pg.libpq(prefix + "_p" + p));
      }
      api = database(pg, prefix + "_proxy");
      SchemaMigrator.migrate(api, new SchemaRole.Proxy(libpq, pg.user(), ""));
    }
    String topic = "bench." + name;
    List<Bridge> bridges = new ArrayList<>();
    try {
      for (int p = 0; p < bridged.size(); p++) {
        bridges.add(bridge(bridged.get(p), kafka, topic, name + "-" + p));
      }
      List<ChatWriteRun.Writer> channels = channels(api, writers, Math.max(1, partitions));
      System.out.printf("%s: %d writers on channels %s%n", name, writers, channels);
      return new ChatWriteRun().run(api, channels, kafka, topic, length);
    } finally {
      bridges.forEach(Bridge::close);
    }
  }

  /** One user and one public channel per writer, spread evenly over the partitions. */
  private static List<ChatWriteRun.Writer> channels(PgEndpoint api, int writers, int partitions)
      throws SQLException {
    List<ChatWriteRun.Writer> out = new ArrayList<>();
    int[] perPartition = new int[partitions];
    try (Connection c = DriverManager.getConnection(api.jdbcUrl(), api.user(), api.password())) {
      for (int i = 0; out.size() < writers && i < writers * 20; i++) {
        int user =
            value(
                c,
                "SELECT chat.register_user(?, 'correct horse battery', 'b@example.org')",
                "writer_" + i);
        int partition = user & (partitions - 1);
        if (perPartition[partition] < (writers + partitions - 1) / partitions) {
          perPartition[partition]++;
          out.add(
              new ChatWriteRun.Writer(
                  user,
                  value(
                      c,
                      "SELECT chat.create_channel(" + user + ", ?, 'public', NULL)",
                      "bench " + i)));
        }
      }
    }
    return out;
  }

  private static int value(Connection c, String sql, String text) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, text);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Bridge bridge(PgEndpoint db, String kafka, String topic, String sourceName)
      throws SQLException {
    Map<String, String> settings = new HashMap<>();
    settings.put("ZGRES_PG_URL", db.jdbcUrl());
    settings.put("ZGRES_PG_USER", db.user());
    settings.put("ZGRES_PG_PASSWORD", db.password());
    settings.put("ZGRES_KAFKA_BOOTSTRAP", kafka);
    settings.put("ZGRES_METRICS_PORT", "0");
    settings.put("ZGRES_SOURCE_NAME", sourceName);
    settings.put("ZGRES_ROUTES", "chat_message_*=" + topic + "|{*}");
    return Bridge.start(BridgeConfig.from(settings));
  }

  private static PgEndpoint database(DebianPostgres15 pg, String name) throws SQLException {
    return new PgEndpoint(pg.createDatabase(name), pg.user(), "");
  }
}
