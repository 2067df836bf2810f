package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import dev.zgres.bridge.config.SourceKind;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The notify bridge's delivery rate when it LISTENs on many channels: {@value #FEW} and then
 * {@value #MANY} registered chat channels besides the benchmark's own, matched by a pattern, each
 * with a bridge of its own, at saturation with the grid's most writers. PostgreSQL walks a
 * backend's list of LISTENed channels for every notification it reads, so the backend's cost per
 * event grows with the list; wal mode has no such cost.
 */
final class ChannelScaleCell {
  static final String ID = "channels";
  static final String WHAT =
      "notify at saturation with the bridge LISTENing on 10 and on 10,000 extra chat channels";
  static final int FEW = 10;
  static final int MANY = 10_000;
  private static final String PREFIX = "zgres_bench_chat_";

  private ChannelScaleCell() {}

  static ScenarioResult scenario(
      BenchPlan plan, BenchServers servers, PhaseRunner phases, Progress progress)
      throws IOException, InterruptedException, SQLException {
    if (!plan.scenarios().contains(ID)) {
      return ScenarioResult.unavailable(ID, WHAT, ScenarioRunner.NOT_SELECTED);
    }
    List<PhaseResult> results = new ArrayList<>();
    try (Connection admin = servers.connect("zgres-bench-channels")) {
      for (int channels : List.of(FEW, MANY)) {
        register(admin, channels);
        progress.note(ID + ": starting a bridge LISTENing on " + (channels + 1) + " channels");
        try (RunningBridge bridge =
            RunningBridge.start(
                SourceKind.NOTIFY,
                ID + "-" + channels,
                plan,
                servers,
                phases.ticksPerSecond(),
                Map.of("ZGRES_CHANNELS", BenchSchema.ZGRES_CHANNEL + "," + PREFIX + "*"))) {
          Load load = Load.closed(plan.maxWriters());
          phases.warmUp(EventTable.ZGRES, load);
          results.add(
              bridge.measure(
                  phases,
                  progress,
                  ID,
                  EventTable.ZGRES,
                  load,
                  String.format("%,d channels", channels)));
          bridge.checkAlive(ID, plan.outDir());
        } catch (BridgeUnavailableException e) {
          return ScenarioResult.unavailable(ID, WHAT, e.getMessage());
        } finally {
          unregister(admin);
        }
      }
    }
    return new ScenarioResult(ID, WHAT, results);
  }

  private static void register(Connection admin, int channels) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute(
          "INSERT INTO zgres.channel_registry (channel) SELECT '"
              + PREFIX
              + "' || lpad(g::text, 5, '0') FROM generate_series(1, "
              + channels
              + ") g ON CONFLICT DO NOTHING");
    }
  }

  private static void unregister(Connection admin) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("DELETE FROM zgres.channel_registry WHERE channel LIKE '" + PREFIX + "%'");
    }
  }
}
