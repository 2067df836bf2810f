package dev.zgres.bench.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Percentiles of one Prometheus histogram between two scrapes of {@code /metrics}: the bucket
 * counts of the second minus the first, read at the first bucket boundary that reaches the quantile
 * (an upper bound, as Prometheus' own {@code histogram_quantile} reports).
 */
final class PromHistogram {
  private PromHistogram() {}

  static TreeMap<Double, Double> buckets(String scrape, String name) {
    TreeMap<Double, Double> out = new TreeMap<>();
    String prefix = name + "_bucket{le=\"";
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        int end = line.indexOf('"', prefix.length());
        String le = line.substring(prefix.length(), end);
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        out.put(bound, count);
      }
    }
    return out;
  }

  /** The upper bounds (seconds) under which {@code quantiles} of the new observations fall. */
  static List<Double> quantiles(
      TreeMap<Double, Double> before, TreeMap<Double, Double> after, double... quantiles) {
    double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
    List<Double> out = new ArrayList<>();
    for (double q : quantiles) {
      double bound = Double.NaN;
      if (total > 0) {
        for (var e : after.entrySet()) {
          double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
          if (count >= q * total) {
            bound = e.getKey();
            break;
          }
        }
      }
      out.add(bound);
    }
    return out;
  }

  static double gauge(String scrape, String prefix) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
