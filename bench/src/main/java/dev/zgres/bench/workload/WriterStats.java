package dev.zgres.bench.workload;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.zgres.bench.measure.LatencySummary;

/**
 * What the writers of one phase did.
 *
 * @param events transactions committed (one event each)
 * @param seconds from the common start to the last commit
 * @param commitLatency one INSERT in autocommit, from the call to its return (cost on the writer)
 * @param maxScheduleLagMillis open loop only: how far the writers fell behind their schedule
 * @param startNanos {@link System#nanoTime()} of the common start
 */
public record WriterStats(
    long events,
    double seconds,
    LatencySummary commitLatency,
    double maxScheduleLagMillis,
    @JsonIgnore long startNanos) {
  @JsonProperty("rate")
  public double rate() {
    return seconds <= 0 ? 0 : events / seconds;
  }
}
