package dev.zgres.bench.result;

import java.util.List;
import java.util.Optional;

/**
 * A scenario's phases, or why it did not run.
 *
 * @param id short name used in the tables: {@code B0}, {@code B1}, {@code notify}, {@code wal},
 *     {@code fan-out}
 * @param description what it measures, one line
 * @param unavailable null when it ran; otherwise the reason, shown as {@code n/a (reason)}
 * @param failed true when it could not complete because of an error (the reason says which)
 * @param phases measured phases, in the order run
 */
public record ScenarioResult(
    String id, String description, String unavailable, boolean failed, List<PhaseResult> phases) {
  public ScenarioResult(String id, String description, List<PhaseResult> phases) {
    this(id, description, null, false, List.copyOf(phases));
  }

  public static ScenarioResult unavailable(String id, String description, String reason) {
    return new ScenarioResult(id, description, reason, false, List.of());
  }

  public static ScenarioResult failed(String id, String description, String reason) {
    return new ScenarioResult(id, description, "failed: " + reason, true, List.of());
  }

  public boolean ran() {
    return unavailable == null;
  }

  /** The grid phase at this load, if it ran. */
  public Optional<PhaseResult> phase(int writers, boolean closedLoop) {
    return phases.stream()
        .filter(
            p -> p.purpose().isEmpty() && p.writers() == writers && p.closedLoop() == closedLoop)
        .findFirst();
  }
}
