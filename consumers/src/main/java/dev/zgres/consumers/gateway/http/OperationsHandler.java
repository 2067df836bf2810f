package dev.zgres.consumers.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /health} (200 while the Kafka feed polls
 * and the database answers, else 503), on the gateway's own port.
 */
public final class OperationsHandler extends Handler.Abstract {
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier feedHealthy;
  private final BooleanSupplier databaseHealthy;

  public OperationsHandler(
      PrometheusMeterRegistry registry,
      BooleanSupplier feedHealthy,
      BooleanSupplier databaseHealthy) {
    this.registry = registry;
    this.feedHealthy = feedHealthy;
    this.databaseHealthy = databaseHealthy;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    Exchange x = new Exchange(request, response, callback, null);
    switch (path) {
      case "/metrics" -> {
        x.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        return true;
      }
      case "/health" -> {
        boolean feed = feedHealthy.getAsBoolean();
        boolean db = databaseHealthy.getAsBoolean();
        String body =
            "{\"status\":\""
                + (feed && db ? "up" : "down")
                + "\",\"kafka_feed\":"
                + feed
                + ",\"database\":"
                + db
                + "}";
        x.text(feed && db ? 200 : 503, "application/json; charset=utf-8", body);
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
