package dev.zgres.bench.scenario;

import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.measure.ProcessTree;
import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.Machine;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.WriterPool;
import dev.zgres.bridge.config.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole run: B0, B1 and the bridge in notify mode interleaved load by load, then wal, then
 * fan-out, then the AI worker. A scenario that fails is reported as failed and the run goes on, so
 * one broken part still leaves a report of the others.
 */
public final class BenchRun {
  private BenchRun() {}

  public static BenchResult execute(BenchPlan plan, BenchServers servers, Progress progress)
      throws Exception {
    String startedAt = Instant.now().toString();
    Files.createDirectories(plan.outDir());
    servers.ensureTopic(BenchSchema.ZGRES_TOPIC, 1);
    List<ScenarioResult> scenarios = new ArrayList<>();
    try (Connection admin = servers.connect("zgres-bench-admin")) {
      BenchSchema.create(admin);
      WriterPool writers = new WriterPool(servers, new AtomicLong(), Map.of());
      long ticks = ProcessProbe.clockTicksPerSecond();
      PhaseRunner phases =
          new PhaseRunner(admin, writers, plan, ticks, localPostgres(admin, ticks));
      ScenarioRunner runner = new ScenarioRunner(plan, servers, phases, progress);
      try {
        scenarios.addAll(runner.baselinesAndNotify());
      } catch (SQLException | IOException | RuntimeException e) {
        progress.note("B0/B1/emit/notify FAILED: " + e);
        scenarios.add(
            ScenarioResult.failed(ScenarioRunner.B0, ScenarioRunner.B0_WHAT, e.toString()));
        scenarios.add(
            ScenarioResult.failed(ScenarioRunner.B1, ScenarioRunner.B1_WHAT, e.toString()));
        scenarios.add(
            ScenarioResult.failed(ScenarioRunner.EMIT, ScenarioRunner.EMIT_WHAT, e.toString()));
        scenarios.add(
            ScenarioResult.failed(
                ScenarioRunner.NOTIFY,
                ScenarioRunner.bridgedWhat(SourceKind.NOTIFY),
                e.toString()));
      }
      scenarios.add(
          guarded(
              ChannelScaleCell.ID,
              ChannelScaleCell.WHAT,
              () -> ChannelScaleCell.scenario(plan, servers, phases, progress),
              progress));
      scenarios.add(
          guarded(
              StartupCell.ID,
              StartupCell.WHAT,
              () -> StartupCell.scenario(plan, servers, progress),
              progress));
      scenarios.add(
          guarded(
              ScenarioRunner.WAL,
              ScenarioRunner.bridgedWhat(SourceKind.WAL),
              () -> WalCell.scenario(plan, servers, phases, progress, runner.grid()),
              progress));
      try {
        scenarios.addAll(DebeziumCell.scenarios(plan, servers, phases, progress, runner.grid()));
      } catch (SQLException | IOException | RuntimeException e) {
        progress.note("debezium FAILED: " + e);
        scenarios.add(ScenarioResult.failed(DebeziumCell.ID, DebeziumCell.WHAT, e.toString()));
      }
      scenarios.add(runner.fanOut());
      scenarios.add(
          plan.scenarios().contains(AiScenario.ID)
              ? guarded(
                  AiScenario.ID,
                  AiScenario.WHAT,
                  () -> AiScenario.run(plan, servers, progress),
                  progress)
              : ScenarioResult.unavailable(
                  AiScenario.ID, AiScenario.WHAT, ScenarioRunner.NOT_SELECTED));
      BenchSchema.drop(admin);
    }
    return new BenchResult(
        startedAt, Machine.current(), servers.description(), plan.settings(), scenarios);
  }

  /**
   * The local PostgreSQL server's process tree (the postmaster of our backend), or null if remote.
   */
  private static ProcessTree localPostgres(Connection admin, long ticks) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long backend = rs.getLong(1);
      return ProcessTree.parentOf(backend)
          .map(postmaster -> new ProcessTree(postmaster, ticks))
          .orElse(null);
    }
  }

  private interface ScenarioBody {
    ScenarioResult run() throws Exception;
  }

  private static ScenarioResult guarded(
      String id, String description, ScenarioBody body, Progress progress)
      throws InterruptedException {
    try {
      return body.run();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      progress.note(id + " FAILED: " + e);
      return ScenarioResult.failed(id, description, e.toString());
    }
  }
}
