package dev.zgres.bench.result;

import dev.zgres.bench.workload.WriterStats;

/**
 * One measured phase: a scenario at one load for a fixed time.
 *
 * @param scenario the scenario's id, e.g. {@code B1}
 * @param writers writer connections
 * @param mode {@code closed} or {@code open 1,000/s}
 * @param targetRate open loop: the rate asked for; closed loop: 0
 * @param writer what the writers achieved and what each commit cost them
 * @param delivery how events reached the receiver; null where nothing receives (B0)
 * @param bridge what the bridge process spent; null where no bridge runs
 * @param cpu where the machine's CPU went
 * @param purpose why the phase exists beyond the grid, e.g. {@code rss}; empty for grid phases
 */
public record PhaseResult(
    String scenario,
    int writers,
    String mode,
    double targetRate,
    WriterStats writer,
    DeliveryStats delivery,
    BridgeCost bridge,
    HostCpu cpu,
    String purpose) {
  public boolean closedLoop() {
    return targetRate == 0;
  }
}
