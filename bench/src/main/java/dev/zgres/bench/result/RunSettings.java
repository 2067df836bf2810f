package dev.zgres.bench.result;

import java.util.List;

/**
 * How a run was configured, reported with its figures.
 *
 * @param quick whether this was the {@code --quick} run
 * @param phaseSeconds length of each measured phase
 * @param warmupSeconds unmeasured load before each scenario's first phase
 * @param writerCounts writer connections of the grid
 * @param openRate total rate of the open-loop phases, events per second
 * @param rssRate rate at which the bridge's RSS is judged, events per second
 * @param bridgeJvmOptions options of the bridge's JVM
 */
public record RunSettings(
    boolean quick,
    int phaseSeconds,
    int warmupSeconds,
    List<Integer> writerCounts,
    double openRate,
    double rssRate,
    List<String> bridgeJvmOptions) {}
