package dev.zgres.bench.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The bridge's own view of receipt to Kafka acknowledgement: its {@code zgres_publish_latency}
 * timer, scraped from {@code /metrics} before and after a phase. The difference of the two
 * cumulative bucket sets is the phase's histogram; a percentile is the upper bound of the bucket it
 * falls in, so it is coarse (Micrometer's buckets grow by roughly a third each) but comes from the
 * bridge's clock alone: no cross-process skew, and no consumer fetch in it.
 */
public final class AckHistogram {
  private static final String BUCKET = "zgres_publish_latency_seconds_bucket{";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI metrics;

  public AckHistogram(int metricsPort) {
    this.metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
  }

  /** Cumulative counts by bucket upper bound (seconds); empty if the bridge could not be read. */
  public NavigableMap<Double, Double> snapshot() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return parse(response.body());
    } catch (IOException e) {
      return new TreeMap<>();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TreeMap<>();
    }
  }

  static NavigableMap<Double, Double> parse(String text) {
    NavigableMap<Double, Double> buckets = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(BUCKET)) {
        continue;
      }
      int le = line.indexOf("le=\"");
      int close = line.indexOf('"', le + 4);
      int brace = line.indexOf('}', close);
      if (le < 0 || close < 0 || brace < 0) {
        continue;
      }
      String bound = line.substring(le + 4, close);
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      String[] rest = line.substring(brace + 1).trim().split("\\s+");
      buckets.merge(upper, Double.parseDouble(rest[0]), Double::sum);
    }
    return buckets;
  }

  /**
   * p50 and p99 (bucket upper bounds, ms) of what was recorded between two snapshots; max is not
   * known from buckets and is NaN. Empty when nothing was recorded or the bridge was unreadable.
   */
  public static LatencySummary between(
      NavigableMap<Double, Double> before, NavigableMap<Double, Double> after) {
    NavigableMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      delta.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0));
    }
    double total = delta.isEmpty() ? 0 : delta.lastEntry().getValue();
    if (total <= 0) {
      return LatencySummary.EMPTY;
    }
    return new LatencySummary(
        (long) total,
        percentile(delta, total, 0.50),
        percentile(delta, total, 0.99),
        percentile(delta, total, 0.999),
        Double.NaN);
  }

  private static double percentile(
      NavigableMap<Double, Double> cumulative, double total, double q) {
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= q * total) {
        return e.getKey() * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
