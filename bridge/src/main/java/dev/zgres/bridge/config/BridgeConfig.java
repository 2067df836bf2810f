package dev.zgres.bridge.config;

import static dev.zgres.bridge.config.BridgeSettings.*;

import dev.zgres.bridge.channel.ChannelSelector;
import dev.zgres.bridge.route.Route;
import dev.zgres.bridge.route.TopicRouter;
import dev.zgres.runtime.kafka.KafkaProperties;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.SettingValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bridge's whole configuration, validated before any connection opens. Build it with {@link
 * #from}: environment variables, with command-line flags already merged over them.
 *
 * @param sourceName the name of the database read ({@code ZGRES_SOURCE_NAME}), empty for none
 */
public record BridgeConfig(
    PgEndpoint postgres,
    String kafkaBootstrap,
    SourceKind source,
    ChannelSelector channels,
    String discoveryQuery,
    List<Route> routes,
    int metricsPort,
    int backlogCapacity,
    Duration listenBatch,
    Duration probeInterval,
    Duration reconnectMaxBackoff,
    Duration shutdownTimeout,
    Map<String, String> producerProperties,
    String slot,
    String publication,
    long slotLagWarnBytes,
    Duration standbyRetry,
    ChannelSelector walExclude,
    Duration walSilenceTimeout,
    String sourceName) {
  private static final Pattern SOURCE_NAME_FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Validates {@code values} (keyed by environment variable name; absent means default).
   *
   * @throws ConfigException listing every problem
   */
  public static BridgeConfig from(Map<String, String> values) {
    SettingValues v = new SettingValues(values);
    PgEndpoint postgres = CommonSettings.postgres(v);
    String bootstrap = v.string(CommonSettings.KAFKA_BOOTSTRAP);
    String sourceName = v.choice(SOURCE);
    SourceKind source = sourceName == null ? null : SourceKind.parse(sourceName);
    ChannelSelector channels = v.parsed(CHANNELS, ChannelSelector::parse, null);
    String discovery = v.string(DISCOVERY_QUERY);
    if (channels != null && channels.hasPatterns() && discovery.isBlank()) {
      v.problem(DISCOVERY_QUERY, "must be set when ZGRES_CHANNELS has * patterns", discovery);
    }
    List<Route> routes = v.parsed(ROUTES, TopicRouter::parseRoutes, List.of());
    int metricsPort = v.integer(CommonSettings.METRICS_PORT);
    int backlog = v.integer(BACKLOG_CAPACITY);
    Duration listenBatch = v.millis(LISTEN_BATCH_MS);
    Duration probe = v.millis(PROBE_INTERVAL_MS);
    Duration backoff = v.millis(RECONNECT_MAX_BACKOFF_MS);
    Duration shutdown = v.millis(CommonSettings.SHUTDOWN_TIMEOUT_MS);
    Map<String, String> producer =
        v.parsed(
            PRODUCER_PROPERTIES,
            list -> KafkaProperties.parse(list, ProducerContract.FIXED),
            Map.of());
    String slot = v.string(SLOT);
    String publication = v.string(PUBLICATION);
    long lagWarnBytes = v.integer(SLOT_LAG_WARN_MB) * 1024L * 1024L;
    Duration standbyRetry = v.millis(STANDBY_RETRY_MS);
    ChannelSelector walExclude =
        v.parsed(
            WAL_EXCLUDE,
            list -> list.isBlank() ? ChannelSelector.none() : ChannelSelector.parse(list),
            ChannelSelector.none());
    Duration walSilence = v.millis(WAL_SILENCE_TIMEOUT_MS);
    String name = v.string(SOURCE_NAME);
    if (!name.isEmpty() && !SOURCE_NAME_FORMAT.matcher(name).matches()) {
      v.problem(SOURCE_NAME, "must be 1 to 64 letters, digits, '.', '_' or '-'", name);
    }
    v.throwIfInvalid();
    return new BridgeConfig(
        postgres,
        bootstrap,
        source,
        channels,
        discovery,
        routes,
        metricsPort,
        backlog,
        listenBatch,
        probe,
        backoff,
        shutdown,
        producer,
        slot,
        publication,
        lagWarnBytes,
        standbyRetry,
        walExclude,
        walSilence,
        name);
  }
}
