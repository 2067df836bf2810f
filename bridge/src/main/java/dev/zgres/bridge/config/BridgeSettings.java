package dev.zgres.bridge.config;

import dev.zgres.runtime.kafka.KafkaSettings;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import java.util.ArrayList;
import java.util.List;

/** Every setting of the bridge, declared once with its rule; the common ones come first. */
public final class BridgeSettings {
  public static final Setting SOURCE =
      Setting.choice(
          "ZGRES_SOURCE",
          "--source",
          "notify",
          "`notify` (LISTEN/NOTIFY) or `wal` (logical replication slot)",
          List.of("notify", "wal"));
  public static final Setting SOURCE_NAME =
      Setting.text(
          "ZGRES_SOURCE_NAME",
          "--source-name",
          "",
          "the name of the database this bridge reads, e.g. a partition of a PL/Proxy cluster whose "
              + "bridges share topics; sent in the `zgres-partition` header and in front of each event id "
              + "(1 to 64 letters, digits, `.`, `_`, `-`; empty: none)");
  public static final Setting CHANNELS =
      Setting.text(
          "ZGRES_CHANNELS",
          "--channels",
          "db_notifications,websocket_event,chat_message_*",
          "channels to LISTEN on, comma-separated; `*` patterns match channels found by the discovery query");
  public static final Setting WAL_EXCLUDE =
      Setting.text(
          "ZGRES_WAL_EXCLUDE",
          "--wal-exclude",
          "",
          "wal mode: channels (names or `*` patterns, comma-separated) whose events are skipped on purpose;"
              + " every other `zgres:` event is carried, whatever `ZGRES_CHANNELS` says");
  public static final Setting WAL_SILENCE_TIMEOUT_MS =
      Setting.number(
          "ZGRES_WAL_SILENCE_TIMEOUT_MS",
          "--wal-silence-timeout-ms",
          "20000",
          "wal mode: reconnect when nothing arrived from the walsender for this long"
              + " (a silent network partition); asked for a reply after a quarter of it",
          1_000,
          3_600_000);
  public static final Setting DISCOVERY_QUERY =
      Setting.text(
          "ZGRES_DISCOVERY_QUERY",
          "--discovery-query",
          "SELECT channel FROM zgres.channel_registry",
          "query whose first column lists the channels that `*` patterns are matched against");
  public static final Setting ROUTES =
      Setting.text(
          "ZGRES_ROUTES",
          "--routes",
          "",
          "extra routes tried before the defaults: `pattern=topic|key` separated by `;`; "
              + "templates take `{channel}`, `{*}`, `{$.field}`");
  public static final Setting BACKLOG_CAPACITY =
      Setting.number(
          "ZGRES_BACKLOG_CAPACITY",
          "--backlog-capacity",
          "10000",
          "events held between source and Kafka before the source is paused (back-pressure)",
          1,
          10_000_000);
  public static final Setting LISTEN_BATCH_MS =
      Setting.number(
          "ZGRES_LISTEN_BATCH_MS",
          "--listen-batch-ms",
          "5",
          "notify mode: above 2,000 notifications/s, wait this long between reads of the LISTEN "
              + "connection so that what arrives meanwhile is published together; 0: each at once",
          0,
          100);
  public static final Setting PROBE_INTERVAL_MS =
      Setting.number(
          "ZGRES_PROBE_INTERVAL_MS",
          "--probe-interval-ms",
          "5000",
          "how often the LISTEN connection is probed (no answer within twice this means reconnect), "
              + "and in wal mode how often the slot's lag is measured",
          100,
          3_600_000);
  public static final Setting RECONNECT_MAX_BACKOFF_MS =
      Setting.number(
          "ZGRES_RECONNECT_MAX_BACKOFF_MS",
          "--reconnect-max-backoff-ms",
          "30000",
          "longest wait between reconnection attempts (backoff starts at 100 ms and doubles)",
          100,
          3_600_000);
  public static final Setting PRODUCER_PROPERTIES = KafkaSettings.PRODUCER_PROPERTIES;
  public static final Setting SLOT =
      Setting.matching(
          "ZGRES_SLOT",
          "--slot",
          "zgres_slot",
          "wal mode: the logical replication slot the bridge reads (created with pgoutput when missing)",
          "[a-z0-9_]{1,63}",
          "must be 1 to 63 lowercase letters, digits or underscores (a PostgreSQL slot name)");
  public static final Setting PUBLICATION =
      Setting.matching(
          "ZGRES_PUBLICATION",
          "--publication",
          "zgres_pub",
          "wal mode: the publication named to pgoutput, which requires one (created empty when missing; "
              + "only zgres messages are read)",
          "[A-Za-z0-9_]{1,63}",
          "must be 1 to 63 letters, digits or underscores");
  public static final Setting SLOT_LAG_WARN_MB =
      Setting.number(
          "ZGRES_SLOT_LAG_WARN_MB",
          "--slot-lag-warn-mb",
          "1024",
          "wal mode: log a warning while the slot is more than this many MB of WAL behind",
          1,
          Integer.MAX_VALUE);
  public static final Setting STANDBY_RETRY_MS =
      Setting.number(
          "ZGRES_STANDBY_RETRY_MS",
          "--standby-retry-ms",
          "1000",
          "how often a standby bridge checks whether it can take over (and the active one that it still leads)",
          100,
          60_000);

  /** The bridge's own settings, without the common ones. */
  public static final List<Setting> OWN =
      List.of(
          SOURCE,
          SOURCE_NAME,
          CHANNELS,
          DISCOVERY_QUERY,
          ROUTES,
          BACKLOG_CAPACITY,
          LISTEN_BATCH_MS,
          PROBE_INTERVAL_MS,
          RECONNECT_MAX_BACKOFF_MS,
          PRODUCER_PROPERTIES,
          SLOT,
          PUBLICATION,
          SLOT_LAG_WARN_MB,
          STANDBY_RETRY_MS,
          WAL_EXCLUDE,
          WAL_SILENCE_TIMEOUT_MS);

  /** Every setting the bridge reads: the common ones, then its own. */
  public static final List<Setting> ALL = concat(CommonSettings.ALL, OWN);

  private BridgeSettings() {}

  private static List<Setting> concat(List<Setting> first, List<Setting> second) {
    List<Setting> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
