package dev.zgres.bench.workload;

/**
 * The tables writers insert into; all have the same columns {@code (id, writer, body, created_at)}
 * and differ only in their trigger.
 */
public enum EventTable {
  /** No trigger: the raw INSERT rate. */
  PLAIN("zgres_bench.plain"),
  /** A hand-written trigger calling {@code pg_notify} on {@link BenchSchema#PLAIN_CHANNEL}. */
  PLAIN_NOTIFY("zgres_bench.plain_notify"),
  /** B1's trigger, but through {@code zgres.emit}, on {@link BenchSchema#ZGRES_CHANNEL}. */
  ZGRES("zgres_bench.watched"),
  /**
   * The same zgres trigger emitting on {@link BenchSchema#DIRECT_CHANNEL}, which no bridge LISTENs
   * on: the SQL side of zgres alone, received by a plain LISTEN loop.
   */
  ZGRES_DIRECT("zgres_bench.watched_direct"),
  /**
   * B1's trigger with the insert's {@code clock_timestamp()} in the payload, on {@link
   * BenchSchema#CLOCK_CHANNEL}; ids default to a sequence far above the writers' own, so pgbench
   * can insert without choosing them.
   */
  PLAIN_NOTIFY_CLOCK("zgres_bench.plain_notify_clock");

  private final String qualifiedName;

  EventTable(String qualifiedName) {
    this.qualifiedName = qualifiedName;
  }

  public String qualifiedName() {
    return qualifiedName;
  }

  String insertSql() {
    return "INSERT INTO " + qualifiedName + " (id, writer, body) VALUES (?, ?, ?)";
  }

  /** Rows with the ids from the third to the fourth parameter, in one statement. */
  String insertRowsSql() {
    return "INSERT INTO "
        + qualifiedName
        + " (id, writer, body) SELECT g, ?, ? FROM generate_series(?::bigint, ?::bigint) g";
  }
}
