package dev.zgres.bridge;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.SourceKind;
import dev.zgres.bridge.leader.LeaderGatedSource;
import dev.zgres.bridge.leader.LeaderLock;
import dev.zgres.bridge.listen.NotificationListener;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.publish.EventBacklog;
import dev.zgres.bridge.publish.KafkaPublisher;
import dev.zgres.bridge.route.TopicRouter;
import dev.zgres.bridge.source.EventSource;
import dev.zgres.bridge.wal.SlotReader;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running bridge: source, backlog, publisher and the metrics endpoint, started in that order of
 * dependency and closed in reverse: stop receiving, drain the backlog into Kafka, flush, stop
 * serving metrics.
 *
 * <p>Several bridges may run against one database; one is active and the others are standbys that
 * take over when it stops. In notify mode the active one holds a {@link LeaderLock}; in wal mode
 * the replication slot itself, which only one process can stream, decides (see {@link SlotReader}).
 */
public final class Bridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

  private final BridgeConfig config;
  private final Closer parts = new Closer();
  private final PrometheusMeterRegistry registry;
  private final EventBacklog backlog;
  private final EventSource listener;
  private final MetricsServer metricsServer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Bridge(BridgeConfig config) throws SQLException {
    this.config = config;
    try {
      ProcessMeters process = parts.register(new ProcessMeters());
      registry = process.registry();
      BridgeMeters meters = new BridgeMeters(registry, config.source().label());
      backlog = new EventBacklog(config.backlogCapacity());
      meters.bindBacklog(
          backlog,
          EventBacklog::size,
          EventBacklog::capacity,
          b -> b.underPressure() ? 1 : 0,
          EventBacklog::blockedSeconds);
      parts.register(
          new KafkaPublisher(
              ProducerContract.settings(
                  config.kafkaBootstrap(), "zgres-bridge", config.producerProperties()),
              backlog,
              new TopicRouter(config.routes()),
              meters,
              config.shutdownTimeout(),
              config.sourceName()));
      listener = parts.register(openSource(config, backlog, meters));
      metricsServer = parts.register(process.serve(config.metricsPort(), this::health));
    } catch (SQLException | RuntimeException e) {
      parts.close();
      throw e;
    }
  }

  private static EventSource openSource(
      BridgeConfig config, EventBacklog backlog, BridgeMeters meters) throws SQLException {
    return switch (config.source()) {
      case NOTIFY ->
          new LeaderGatedSource(
              new LeaderLock(
                  config.postgres(), (int) Math.max(1_000, config.standbyRetry().toMillis() * 2)),
              () -> new NotificationListener(config, backlog, meters),
              config.standbyRetry(),
              meters);
      case WAL -> new SlotReader(config, backlog, meters);
    };
  }

  /**
   * Starts a bridge; returns once it LISTENs on its channels (notify) or streams its slot (wal),
   * or, when another bridge is active on the same database, once it is a standby.
   *
   * @throws SQLException when PostgreSQL cannot be reached or the discovery query fails
   * @throws dev.zgres.bridge.wal.ReplicationSetupException in wal mode, when PostgreSQL is not set
   *     up for logical decoding (the message says what to change)
   */
  public static Bridge start(BridgeConfig config) throws SQLException {
    Bridge bridge = new Bridge(config);
    if (!bridge.listener.active()) {
      LOG.info(
          "bridge up as a standby: {} source, another bridge is active; Kafka {}, metrics on port {}",
          config.source().label(),
          config.kafkaBootstrap(),
          bridge.metricsPort());
    } else if (config.source() == SourceKind.WAL) {
      LOG.info(
          "bridge up: wal source, streaming slot {}, Kafka {}, metrics on port {}",
          config.slot(),
          config.kafkaBootstrap(),
          bridge.metricsPort());
    } else {
      LOG.info(
          "bridge up: {} source, LISTENing on {} channels, Kafka {}, metrics on port {}",
          config.source().label(),
          bridge.listener.channelCount(),
          config.kafkaBootstrap(),
          bridge.metricsPort());
    }
    return bridge;
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public HealthReport health() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean active = listener.active();
    details.put("role", active ? "active" : "standby");
    details.put("source", config.source().label());
    details.put("connected", listener.connected());
    details.put("channels", listener.channelCount());
    details.put("backlog", backlog.size());
    details.put("backlogCapacity", backlog.capacity());
    details.put("backpressure", backlog.underPressure());
    // A standby is healthy: it is ready to take over, which is its job.
    return new HealthReport(!active || listener.connected(), details);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    LOG.info("bridge stopping: {} events in the backlog to flush", backlog.size());
    // reverse start order: stop serving metrics, stop the source, drain into Kafka, meters
    parts.close();
    LOG.info("bridge stopped");
  }
}
