package dev.zgres.bench.report;

import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Two baselines measured over the same grid merged phase by phase into the stronger one for one
 * figure: the higher rate, or the lower latency. A target is then judged against the best that
 * either raw loop did at that load, never against the weaker.
 */
final class StrongerBaseline {
  private StrongerBaseline() {}

  /**
   * @param higherIsBetter true for a rate, false for a latency
   * @return {@code first} when {@code second} did not run, and the reverse
   */
  static ScenarioResult of(
      ScenarioResult first,
      ScenarioResult second,
      ToDoubleFunction<PhaseResult> figure,
      boolean higherIsBetter) {
    if (second == null || !second.ran()) {
      return first;
    }
    if (first == null || !first.ran()) {
      return second;
    }
    List<PhaseResult> stronger = new ArrayList<>();
    for (PhaseResult a : first.phases()) {
      if (!a.purpose().isEmpty()) {
        continue;
      }
      Optional<PhaseResult> b = second.phase(a.writers(), a.closedLoop());
      if (b.isEmpty()) {
        stronger.add(a);
        continue;
      }
      double fa = figure.applyAsDouble(a);
      double fb = figure.applyAsDouble(b.get());
      boolean bWins = higherIsBetter ? fb > fa : fb < fa;
      stronger.add(bWins ? b.get() : a);
    }
    return new ScenarioResult(
        first.id() + "|" + second.id(),
        "the stronger of " + first.id() + " and " + second.id() + " at each load",
        stronger);
  }
}
