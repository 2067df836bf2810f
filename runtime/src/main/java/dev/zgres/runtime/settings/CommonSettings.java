package dev.zgres.runtime.settings;

import java.util.List;

/** The settings every zgres process shares: where PostgreSQL and Kafka are, metrics, shutdown. */
public final class CommonSettings {
  public static final Setting PG_URL =
      Setting.matching(
          "ZGRES_PG_URL",
          "--pg-url",
          "jdbc:postgresql://localhost:5432/postgres",
          "JDBC URL of the database",
          "jdbc:postgresql:.+",
          "must start with jdbc:postgresql:");
  public static final Setting PG_USER =
      Setting.required("ZGRES_PG_USER", "--pg-user", "postgres", "database user");
  public static final Setting PG_PASSWORD =
      Setting.secret(
          "ZGRES_PG_PASSWORD",
          "--pg-password",
          "database password (or `ZGRES_PG_PASSWORD_FILE`: a file holding it)",
          new Rule.Any());
  public static final Setting KAFKA_BOOTSTRAP =
      Setting.required(
          "ZGRES_KAFKA_BOOTSTRAP",
          "--kafka-bootstrap",
          "localhost:9092",
          "Kafka bootstrap servers");
  public static final Setting METRICS_PORT =
      Setting.number(
          "ZGRES_METRICS_PORT",
          "--metrics-port",
          "9464",
          "port of `/metrics` and `/health` (0: any free port)",
          0,
          65_535);
  public static final Setting SHUTDOWN_TIMEOUT_MS =
      Setting.number(
          "ZGRES_SHUTDOWN_TIMEOUT_MS",
          "--shutdown-timeout-ms",
          "10000",
          "on SIGTERM, how long to wait for work in hand to finish (the bridge: its backlog to drain into Kafka)",
          0,
          3_600_000);

  /** The PostgreSQL settings, for commands that need only the database. */
  public static final List<Setting> POSTGRES = List.of(PG_URL, PG_USER, PG_PASSWORD);

  /** Every common setting, in the order of the README's table. */
  public static final List<Setting> ALL =
      List.of(PG_URL, PG_USER, PG_PASSWORD, KAFKA_BOOTSTRAP, METRICS_PORT, SHUTDOWN_TIMEOUT_MS);

  private CommonSettings() {}

  /** The database endpoint from {@link #PG_URL}, {@link #PG_USER} and {@link #PG_PASSWORD}. */
  public static PgEndpoint postgres(SettingValues values) {
    return new PgEndpoint(
        values.string(PG_URL), values.string(PG_USER), values.string(PG_PASSWORD));
  }
}
