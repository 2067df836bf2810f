package dev.zgres.runtime.operations;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A process's meter registry, with the JVM's own meters (memory, GC, threads, class loading, CPU,
 * uptime) bound, and the one call that serves it with {@code /health}. Each process creates one and
 * passes its {@link #registry()} to the components that record meters; nothing is global.
 */
public final class ProcessMeters implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final AtomicBoolean closed = new AtomicBoolean();

  public ProcessMeters() {
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Serves {@code /metrics} from this registry and {@code /health} from {@code health} on {@code
   * port} (0: any free port).
   *
   * @throws java.io.UncheckedIOException when the port cannot be bound (the message names it)
   */
  public MetricsServer serve(int port, Supplier<HealthReport> health) {
    return new MetricsServer(port, registry, health);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    gcMetrics.close();
    registry.close();
  }
}
