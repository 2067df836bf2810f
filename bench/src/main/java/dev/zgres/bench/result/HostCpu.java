package dev.zgres.bench.result;

/**
 * Where the machine's CPU went during a phase (until its events drained), in CPU seconds.
 *
 * @param seconds wall-clock length of the measured span
 * @param postgres the PostgreSQL server (postmaster and backends); NaN when it is not local
 * @param benchJvm this JVM: writers, receivers and, when embedded, the Kafka broker
 * @param bridge the bridge's JVM; 0 where no bridge runs
 */
public record HostCpu(double seconds, double postgres, double benchJvm, double bridge) {}
