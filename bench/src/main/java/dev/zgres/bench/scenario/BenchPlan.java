package dev.zgres.bench.scenario;

import dev.zgres.bench.result.RunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run measures and how long each part takes.
 *
 * @param quick the short run: fewer writer counts, short phases, RSS taken from the closed loop
 * @param phase length of each measured phase
 * @param warmup unmeasured load before each scenario's first phase
 * @param drainTimeout how long to wait for stragglers after the writers stop, without progress
 * @param writerCounts writer connections, e.g. 1, 4, 16
 * @param openRate total events per second of the open-loop phases
 * @param rssRate events per second at which the bridge's RSS is judged
 * @param bridgeJvmOptions options of the bridge's JVM
 * @param bridgeSettings extra {@code ZGRES_*} settings for the bridge
 * @param scenarios ids of the scenarios to run; the others are reported as not selected
 * @param profile record a JFR flight recording of each bridge process into {@code outDir}
 * @param outDir where logs, recordings and the reports go
 */
public record BenchPlan(
    boolean quick,
    Duration phase,
    Duration warmup,
    Duration drainTimeout,
    List<Integer> writerCounts,
    double openRate,
    double rssRate,
    List<String> bridgeJvmOptions,
    Map<String, String> bridgeSettings,
    Set<String> scenarios,
    boolean profile,
    Path outDir) {

  public int maxWriters() {
    return writerCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  public RunSettings settings() {
    return new RunSettings(
        quick,
        (int) phase.toSeconds(),
        (int) warmup.toSeconds(),
        writerCounts,
        openRate,
        rssRate,
        bridgeJvmOptions);
  }
}
