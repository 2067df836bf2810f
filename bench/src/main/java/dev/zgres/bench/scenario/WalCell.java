package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import dev.zgres.bridge.config.SourceKind;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * wal: the zgres trigger with {@code zgres.transport = wal} on the writers' sessions and a bridge
 * reading the slot, over the same grid as the other scenarios. Reported as not available while this
 * build's bridge refuses the wal source.
 */
final class WalCell {
  private static final String ID = ScenarioRunner.WAL;

  private WalCell() {}

  static ScenarioResult scenario(
      BenchPlan plan, BenchServers servers, PhaseRunner phases, Progress progress, List<Load> grid)
      throws SQLException, InterruptedException, IOException {
    String what = ScenarioRunner.bridgedWhat(SourceKind.WAL);
    if (!plan.scenarios().contains(ID)) {
      return ScenarioResult.unavailable(ID, what, ScenarioRunner.NOT_SELECTED);
    }
    progress.note(ID + ": starting the bridge with ZGRES_SOURCE=wal");
    RunningBridge bridge;
    try {
      bridge = RunningBridge.start(SourceKind.WAL, ID, plan, servers, phases.ticksPerSecond());
    } catch (BridgeUnavailableException e) {
      progress.note(ID + ": n/a (wal source not available in this build)");
      progress.note(ID + ": the bridge said: " + e.getMessage());
      return ScenarioResult.unavailable(ID, what, "wal source not available in this build");
    }
    try (bridge) {
      progress.note(ID + ": bridge up (" + bridge.describe() + ")");
      PhaseRunner walPhases =
          phases.withWriterConnection(Map.of("options", "-c zgres.transport=wal"));
      walPhases.warmUp(EventTable.ZGRES, Load.closed(plan.maxWriters()));
      walPhases.warmUp(EventTable.ZGRES, Load.open(plan.maxWriters(), plan.openRate()));
      List<PhaseResult> results = new ArrayList<>();
      for (Load load : grid) {
        results.add(bridge.measure(walPhases, progress, ID, EventTable.ZGRES, load, ""));
      }
      bridge.checkAlive(ID, plan.outDir());
      return new ScenarioResult(ID, what, results);
    }
  }
}
