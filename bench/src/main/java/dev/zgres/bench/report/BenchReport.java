package dev.zgres.bench.report;

import dev.zgres.bench.result.BenchResult;
import java.util.List;

/** What a run writes: its figures and the targets judged on them. */
public record BenchReport(BenchResult run, List<TargetRow> targets) {
  public static BenchReport of(BenchResult run) {
    return new BenchReport(run, Targets.evaluate(run));
  }
}
