package dev.zgres.bench.result;

import java.util.List;
import java.util.Optional;

/**
 * A whole run: where it ran, how, and every scenario's figures.
 *
 * @param startedAt ISO-8601 time the run started
 * @param machine nproc, memory, JDK, OS
 * @param servers which PostgreSQL and Kafka were measured
 * @param settings phase length, writer counts, rates, bridge JVM options
 * @param scenarios in the order run
 */
public record BenchResult(
    String startedAt,
    Machine machine,
    String servers,
    RunSettings settings,
    List<ScenarioResult> scenarios) {
  public Optional<ScenarioResult> scenario(String id) {
    return scenarios.stream().filter(s -> s.id().equals(id)).findFirst();
  }
}
