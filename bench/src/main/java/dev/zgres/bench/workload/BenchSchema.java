package dev.zgres.bench.workload;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's own schema, {@code zgres_bench}: one table per {@link EventTable}, recreated at
 * the start of a run and emptied before each phase. It never touches anything outside that schema
 * except through {@code zgres.emit}.
 *
 * <p>The baseline trigger and the zgres trigger build the very same payload; one hands it to {@code
 * pg_notify}, the other to {@code zgres.emit}. The comparison therefore measures what zgres adds
 * (emit, bridge, Kafka), not a difference in payloads. The generic row trigger ({@code
 * zgres.watch_table}) builds a richer payload at a further cost per row, reported in
 * docs/performance.md.
 */
public final class BenchSchema {
  /** Channel of the hand-written {@code pg_notify} trigger (baseline B1). */
  public static final String PLAIN_CHANNEL = "zgres_bench_plain";

  /** Channel of the zgres trigger on {@link EventTable#ZGRES_DIRECT}, read without a bridge. */
  public static final String DIRECT_CHANNEL = "zgres_bench_direct";

  /** Channel of B1's trigger with the insert clock in the payload (cross-check cell). */
  public static final String CLOCK_CHANNEL = "zgres_bench_clock";

  /** Channel the zgres trigger emits on, LISTENed on by the bridge. */
  public static final String ZGRES_CHANNEL = "zgres_bench_events";

  /**
   * Where the bridge's default route sends {@link #ZGRES_CHANNEL}: a topic of the channel's name.
   */
  public static final String ZGRES_TOPIC = "zgres_bench_events";

  private BenchSchema() {}

  public static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS zgres_bench CASCADE");
      s.execute("CREATE SCHEMA zgres_bench");
      for (EventTable table : EventTable.values()) {
        s.execute(
            "CREATE TABLE "
                + table.qualifiedName()
                + " ("
                + "id bigint PRIMARY KEY, writer int NOT NULL, body text NOT NULL, "
                + "created_at timestamptz NOT NULL DEFAULT now())");
      }
      s.execute(
          """
          CREATE FUNCTION zgres_bench.plain_notify() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
              PERFORM pg_notify('%s',
                  json_build_object('id', NEW.id, 'writer', NEW.writer, 'body', NEW.body)::text);
              RETURN NEW;
          END;
          $$"""
              .formatted(PLAIN_CHANNEL));
      s.execute(
          "CREATE TRIGGER plain_notify AFTER INSERT ON "
              + EventTable.PLAIN_NOTIFY.qualifiedName()
              + " FOR EACH ROW EXECUTE FUNCTION zgres_bench.plain_notify()");
      s.execute("CREATE SEQUENCE zgres_bench.outside_ids START 1000000000000000 CACHE 100");
      s.execute(
          "ALTER TABLE "
              + EventTable.PLAIN_NOTIFY_CLOCK.qualifiedName()
              + " ALTER COLUMN id SET DEFAULT nextval('zgres_bench.outside_ids')");
      s.execute(
          """
          CREATE FUNCTION zgres_bench.clock_notify() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
              PERFORM pg_notify('%s',
                  json_build_object('id', NEW.id, 'writer', NEW.writer, 'body', NEW.body,
                      'ts', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)::text);
              RETURN NEW;
          END;
          $$"""
              .formatted(CLOCK_CHANNEL));
      s.execute(
          "CREATE TRIGGER clock_notify AFTER INSERT ON "
              + EventTable.PLAIN_NOTIFY_CLOCK.qualifiedName()
              + " FOR EACH ROW EXECUTE FUNCTION zgres_bench.clock_notify()");
      s.execute(
          """
          CREATE FUNCTION zgres_bench.zgres_emit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
              PERFORM zgres.emit(TG_ARGV[0],
                  json_build_object('id', NEW.id, 'writer', NEW.writer, 'body', NEW.body)::text);
              RETURN NEW;
          END;
          $$""");
      s.execute(
          "CREATE TRIGGER zgres_emit AFTER INSERT ON "
              + EventTable.ZGRES.qualifiedName()
              + " FOR EACH ROW EXECUTE FUNCTION zgres_bench.zgres_emit('"
              + ZGRES_CHANNEL
              + "')");
      s.execute(
          "CREATE TRIGGER zgres_emit AFTER INSERT ON "
              + EventTable.ZGRES_DIRECT.qualifiedName()
              + " FOR EACH ROW EXECUTE FUNCTION zgres_bench.zgres_emit('"
              + DIRECT_CHANNEL
              + "')");
    }
  }

  /**
   * Empties every table and asks for a checkpoint, so that each phase starts from the same state
   * and no checkpoint left over from the previous phase lands in the middle of this one.
   */
  public static void reset(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      StringBuilder tables = new StringBuilder();
      for (EventTable table : EventTable.values()) {
        tables.append(tables.isEmpty() ? "" : ", ").append(table.qualifiedName());
      }
      s.execute("TRUNCATE " + tables);
      try {
        s.execute("CHECKPOINT");
      } catch (SQLException e) {
        // Without the privilege (a given, non-superuser server) phases simply share checkpoints.
      }
    }
  }

  public static void drop(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS zgres_bench CASCADE");
    }
  }
}
