package dev.zgres.bench.result;

/**
 * What the bridge process spent on one phase, read from {@code /proc}.
 *
 * @param cpuSeconds user + system CPU time from the phase's start until its events had drained
 * @param cpuSecondsPerMillionEvents the same, per million events delivered
 * @param peakRssBytes highest VmRSS sampled (every 200 ms) during the phase
 */
public record BridgeCost(double cpuSeconds, double cpuSecondsPerMillionEvents, long peakRssBytes) {
  public double peakRssMegabytes() {
    return peakRssBytes / (1024.0 * 1024.0);
  }
}
