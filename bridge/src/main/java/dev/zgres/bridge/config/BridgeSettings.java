package dev.zgres.bridge.config;

import java.util.List;

/** Every setting of the bridge, declared once. */
public final class BridgeSettings {
  public static final Setting PG_URL =
      new Setting(
          "ZGRES_PG_URL",
          "--pg-url",
          "jdbc:postgresql://localhost:5432/postgres",
          "JDBC URL of the database");
  public static final Setting PG_USER =
      new Setting("ZGRES_PG_USER", "--pg-user", "postgres", "database user");
  public static final Setting PG_PASSWORD =
      new Setting("ZGRES_PG_PASSWORD", "--pg-password", "", "database password");
  public static final Setting KAFKA_BOOTSTRAP =
      new Setting(
          "ZGRES_KAFKA_BOOTSTRAP",
          "--kafka-bootstrap",
          "localhost:9092",
          "Kafka bootstrap servers");
  public static final Setting SOURCE =
      new Setting(
          "ZGRES_SOURCE",
          "--source",
          "notify",
          "`notify` (LISTEN/NOTIFY) or `wal` (logical replication slot)");
  public static final Setting CHANNELS =
      new Setting(
          "ZGRES_CHANNELS",
          "--channels",
          "db_notifications,websocket_event,chat_message_*",
          "channels to LISTEN on, comma-separated; `*` patterns match channels found by the discovery query");
  public static final Setting DISCOVERY_QUERY =
      new Setting(
          "ZGRES_DISCOVERY_QUERY",
          "--discovery-query",
          "SELECT channel FROM zgres.channel_registry",
          "query whose first column lists the channels that `*` patterns are matched against");
  public static final Setting ROUTES =
      new Setting(
          "ZGRES_ROUTES",
          "--routes",
          "",
          "extra routes tried before the defaults: `pattern=topic|key` separated by `;`; "
              + "templates take `{channel}`, `{*}`, `{$.field}`");
  public static final Setting METRICS_PORT =
      new Setting(
          "ZGRES_METRICS_PORT",
          "--metrics-port",
          "9464",
          "port of `/metrics` and `/health` (0: any free port)");
  public static final Setting BACKLOG_CAPACITY =
      new Setting(
          "ZGRES_BACKLOG_CAPACITY",
          "--backlog-capacity",
          "10000",
          "events held between source and Kafka before the source is paused (back-pressure)");
  public static final Setting PROBE_INTERVAL_MS =
      new Setting(
          "ZGRES_PROBE_INTERVAL_MS",
          "--probe-interval-ms",
          "5000",
          "how often the LISTEN connection is probed (no answer within twice this means reconnect), "
              + "and in wal mode how often the slot's lag is measured");
  public static final Setting RECONNECT_MAX_BACKOFF_MS =
      new Setting(
          "ZGRES_RECONNECT_MAX_BACKOFF_MS",
          "--reconnect-max-backoff-ms",
          "30000",
          "longest wait between reconnection attempts (backoff starts at 100 ms and doubles)");
  public static final Setting SHUTDOWN_TIMEOUT_MS =
      new Setting(
          "ZGRES_SHUTDOWN_TIMEOUT_MS",
          "--shutdown-timeout-ms",
          "10000",
          "on SIGTERM, how long to wait for the backlog to drain into Kafka");
  public static final Setting PRODUCER_PROPERTIES =
      new Setting(
          "ZGRES_PRODUCER_PROPERTIES",
          "--producer-properties",
          "",
          "extra Kafka producer settings, `key=value` separated by `,` (acks and idempotence stay fixed)");

  public static final Setting SLOT =
      new Setting(
          "ZGRES_SLOT",
          "--slot",
          "zgres_slot",
          "wal mode: the logical replication slot the bridge reads (created with pgoutput when missing)");
  public static final Setting PUBLICATION =
      new Setting(
          "ZGRES_PUBLICATION",
          "--publication",
          "zgres_pub",
          "wal mode: the publication named to pgoutput, which requires one (created empty when missing; "
              + "only zgres messages are read)");
  public static final Setting SLOT_LAG_WARN_MB =
      new Setting(
          "ZGRES_SLOT_LAG_WARN_MB",
          "--slot-lag-warn-mb",
          "1024",
          "wal mode: log a warning while the slot is more than this many MB of WAL behind");
  public static final Setting STANDBY_RETRY_MS =
      new Setting(
          "ZGRES_STANDBY_RETRY_MS",
          "--standby-retry-ms",
          "1000",
          "how often a standby bridge checks whether it can take over (and the active one that it still leads)");

  public static final List<Setting> ALL =
      List.of(
          PG_URL,
          PG_USER,
          PG_PASSWORD,
          KAFKA_BOOTSTRAP,
          SOURCE,
          CHANNELS,
          DISCOVERY_QUERY,
          ROUTES,
          METRICS_PORT,
          BACKLOG_CAPACITY,
          PROBE_INTERVAL_MS,
          RECONNECT_MAX_BACKOFF_MS,
          SHUTDOWN_TIMEOUT_MS,
          PRODUCER_PROPERTIES,
          SLOT,
          PUBLICATION,
          SLOT_LAG_WARN_MB,
          STANDBY_RETRY_MS);

  private BridgeSettings() {}
}
