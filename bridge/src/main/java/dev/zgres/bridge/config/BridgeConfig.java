package dev.zgres.bridge.config;

import static dev.zgres.bridge.config.BridgeSettings.*;

import dev.zgres.bridge.listen.ChannelSelector;
import dev.zgres.bridge.route.Route;
import dev.zgres.bridge.route.TopicRouter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bridge's whole configuration, validated before any connection opens. Build it with {@link
 * #from}: environment variables, with command-line flags already merged over them.
 */
public record BridgeConfig(
    String pgUrl,
    String pgUser,
    String pgPassword,
    String kafkaBootstrap,
    SourceKind source,
    ChannelSelector channels,
    String discoveryQuery,
    List<Route> routes,
    int metricsPort,
    int backlogCapacity,
    Duration probeInterval,
    Duration reconnectMaxBackoff,
    Duration shutdownTimeout,
    Map<String, String> producerProperties,
    String slot,
    String publication,
    long slotLagWarnBytes,
    Duration standbyRetry) {

  private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
  private static final Pattern PUBLICATION_NAME = Pattern.compile("[A-Za-z0-9_]{1,63}");

  /** Producer settings a user may not override: they are the delivery contract. */
  static final List<String> FIXED_PRODUCER_SETTINGS =
      List.of(
          "acks", "enable.idempotence", "key.serializer", "value.serializer", "bootstrap.servers");

  /**
   * Validates {@code values} (keyed by environment variable name; absent means default).
   *
   * @throws ConfigException listing every problem
   */
  public static BridgeConfig from(Map<String, String> values) {
    SettingValues v = new SettingValues(values);
    String url = v.nonBlank(PG_URL);
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
      v.problem(PG_URL, "must start with jdbc:postgresql:", url);
    }
    String user = v.nonBlank(PG_USER);
    String password = v.string(PG_PASSWORD);
    String bootstrap = v.nonBlank(KAFKA_BOOTSTRAP);
    SourceKind source = v.oneOf(SOURCE, SourceKind.class, SourceKind::parse);
    ChannelSelector channels = v.parsed(CHANNELS, ChannelSelector::parse, null);
    String discovery = v.string(DISCOVERY_QUERY);
    if (channels != null && channels.hasPatterns() && discovery.isBlank()) {
      v.problem(DISCOVERY_QUERY, "must be set when ZGRES_CHANNELS has * patterns", discovery);
    }
    List<Route> routes = v.parsed(ROUTES, TopicRouter::parseRoutes, List.of());
    int metricsPort = v.integer(METRICS_PORT, 0, 65_535);
    int backlog = v.integer(BACKLOG_CAPACITY, 1, 10_000_000);
    int probe = v.integer(PROBE_INTERVAL_MS, 100, 3_600_000);
    int backoff = v.integer(RECONNECT_MAX_BACKOFF_MS, 100, 3_600_000);
    int shutdown = v.integer(SHUTDOWN_TIMEOUT_MS, 0, 3_600_000);
    Map<String, String> producer =
        v.parsed(PRODUCER_PROPERTIES, BridgeConfig::parseProperties, Map.of());
    String slot = v.nonBlank(SLOT);
    if (!slot.isEmpty() && !SLOT_NAME.matcher(slot).matches()) {
      v.problem(
          SLOT,
          "must be 1 to 63 lowercase letters, digits or underscores (a PostgreSQL slot name)",
          slot);
    }
    String publication = v.nonBlank(PUBLICATION);
    if (!publication.isEmpty() && !PUBLICATION_NAME.matcher(publication).matches()) {
      v.problem(PUBLICATION, "must be 1 to 63 letters, digits or underscores", publication);
    }
    int lagWarnMb = v.integer(SLOT_LAG_WARN_MB, 1, Integer.MAX_VALUE);
    int standbyRetry = v.integer(STANDBY_RETRY_MS, 100, 60_000);
    v.throwIfInvalid();
    return new BridgeConfig(
        url,
        user,
        password,
        bootstrap,
        source,
        channels,
        discovery,
        routes,
        metricsPort,
        backlog,
        Duration.ofMillis(probe),
        Duration.ofMillis(backoff),
        Duration.ofMillis(shutdown),
        producer,
        slot,
        publication,
        lagWarnMb * 1024L * 1024L,
        Duration.ofMillis(standbyRetry));
  }

  static Map<String, String> parseProperties(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "entries must look like key=value (was " + entry.trim() + ")");
      }
      String key = entry.substring(0, eq).trim();
      if (FIXED_PRODUCER_SETTINGS.contains(key)) {
        throw new IllegalArgumentException(
            "must not set " + key + ", which zgres fixes (was " + entry.trim() + ")");
      }
      out.put(key, entry.substring(eq + 1).trim());
    }
    return out;
  }
}
