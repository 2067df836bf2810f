package dev.zgres.bridge;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.listen.NotificationListener;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.metrics.HealthReport;
import dev.zgres.bridge.metrics.MetricsServer;
import dev.zgres.bridge.publish.EventBacklog;
import dev.zgres.bridge.publish.KafkaPublisher;
import dev.zgres.bridge.publish.ProducerSettings;
import dev.zgres.bridge.route.TopicRouter;
import dev.zgres.bridge.source.EventSource;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running bridge: source, backlog, publisher and the metrics endpoint, started in that order
 * of dependency and closed in reverse: stop receiving, drain the backlog into Kafka, flush, stop
 * serving metrics.
 */
public final class Bridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

  private final BridgeConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final EventBacklog backlog;
  private final KafkaPublisher publisher;
  private final EventSource listener;
  private final MetricsServer metricsServer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Bridge(BridgeConfig config) throws SQLException {
    this.config = config;
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    BridgeMeters meters = new BridgeMeters(registry);
    backlog = new EventBacklog(config.backlogCapacity());
    registry.gauge(BridgeMeters.BACKLOG_SIZE, backlog, EventBacklog::size);
    registry.gauge(BridgeMeters.BACKLOG_CAPACITY, backlog, EventBacklog::capacity);
    registry.gauge(BridgeMeters.BACKPRESSURE, backlog, b -> b.underPressure() ? 1 : 0);
    registry.more().counter(BridgeMeters.BACKPRESSURE_SECONDS, java.util.List.of(), backlog, EventBacklog::blockedSeconds);
    publisher =
        new KafkaPublisher(
            ProducerSettings.of(config), backlog, new TopicRouter(config.routes()), meters, config.shutdownTimeout());
    try {
      listener = openSource(config, backlog, meters);
    } catch (SQLException | RuntimeException e) {
      publisher.close();
      throw e;
    }
    metricsServer = new MetricsServer(config.metricsPort(), registry, this::health);
  }

  private static EventSource openSource(BridgeConfig config, EventBacklog backlog, BridgeMeters meters)
      throws SQLException {
    return switch (config.source()) {
      case NOTIFY -> new NotificationListener(config, backlog, meters);
      case WAL -> throw new UnsupportedOperationException("ZGRES_SOURCE=wal is not available yet");
    };
  }

  /**
   * Starts a bridge; returns once it LISTENs on its channels.
   *
   * @throws SQLException when PostgreSQL cannot be reached or the discovery query fails
   */
  public static Bridge start(BridgeConfig config) throws SQLException {
    Bridge bridge = new Bridge(config);
    LOG.info("bridge up: {} source, LISTENing on {} channels, Kafka {}, metrics on port {}",
        config.source().label(), bridge.listener.channelCount(), config.kafkaBootstrap(), bridge.metricsPort());
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
    details.put("role", "active");
    details.put("source", config.source().label());
    details.put("connected", listener.connected());
    details.put("channels", listener.channelCount());
    details.put("backlog", backlog.size());
    details.put("backlogCapacity", backlog.capacity());
    details.put("backpressure", backlog.underPressure());
    return new HealthReport(listener.connected(), details);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    LOG.info("bridge stopping: {} events in the backlog to flush", backlog.size());
    listener.close();
    publisher.close();
    metricsServer.close();
    gcMetrics.close();
    registry.close();
    LOG.info("bridge stopped");
  }
}
