package dev.zgres.bench.result;

/**
 * Where the machine's CPU went during a phase (until its events drained), in CPU seconds.
 *
 * @param seconds wall-clock length of the measured span
 * @param postgres the PostgreSQL server (postmaster and backends); NaN when it is not local
 * @param benchJvm this JVM: writers and receivers (an embedded broker has a JVM of its own)
 * @param bridge the bridge's JVM; 0 where no bridge runs
 * @param benchGcPauseSeconds stop-the-world collections of this JVM (whose clock takes every
 *     latency) during the span: a pause delays every receipt stamped in it
 * @param listener the receiving path's scheduling: the LISTENing backend and the thread that reads
 *     its socket (null where nothing LISTENs)
 */
public record HostCpu(
    double seconds,
    double postgres,
    double benchJvm,
    double bridge,
    double benchGcPauseSeconds,
    ListenerSched listener) {}
