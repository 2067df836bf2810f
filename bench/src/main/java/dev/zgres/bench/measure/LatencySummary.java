package dev.zgres.bench.measure;

import org.HdrHistogram.Histogram;

/** Percentiles of one latency histogram, in milliseconds. */
public record LatencySummary(long count, double p50, double p99, double p999, double max) {
  public static final LatencySummary EMPTY =
      new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Summarises a histogram of nanoseconds. */
  public static LatencySummary of(Histogram nanos) {
    if (nanos.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        nanos.getTotalCount(),
        nanos.getValueAtPercentile(50) / 1e6,
        nanos.getValueAtPercentile(99) / 1e6,
        nanos.getValueAtPercentile(99.9) / 1e6,
        nanos.getMaxValue() / 1e6);
  }
}
