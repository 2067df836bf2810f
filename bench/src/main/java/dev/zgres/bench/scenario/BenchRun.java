package dev.zgres.bench.scenario;

import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.Machine;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.WriterPool;
import dev.zgres.bridge.config.SourceKind;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole run: the baselines first (B0, B1), then the bridge in notify and wal mode, then fan-out.
 * A scenario that fails is reported as failed and the run goes on, so one broken part still leaves
 * a report of the others.
 */
public final class BenchRun {
  private BenchRun() {}

  public static BenchResult execute(BenchPlan plan, BenchServers servers, Progress progress) throws Exception {
    String startedAt = Instant.now().toString();
    Files.createDirectories(plan.outDir());
    servers.ensureTopic(BenchSchema.ZGRES_TOPIC, 1);
    List<ScenarioResult> scenarios = new ArrayList<>();
    try (Connection admin = servers.connect("zgres-bench-admin")) {
      BenchSchema.create(admin);
      WriterPool writers = new WriterPool(servers, new AtomicLong(), Map.of());
      PhaseRunner phases = new PhaseRunner(admin, writers, plan, ProcessProbe.clockTicksPerSecond());
      ScenarioRunner runner = new ScenarioRunner(plan, servers, phases, progress);
      scenarios.add(guarded(ScenarioRunner.B0, "plain INSERT", runner::insertBaseline, progress));
      scenarios.add(guarded(ScenarioRunner.B1, "plain pg_notify + LISTEN", runner::listenBaseline, progress));
      scenarios.add(guarded(ScenarioRunner.NOTIFY, "zgres bridge, notify source", () -> runner.bridged(SourceKind.NOTIFY),
          progress));
      scenarios.add(guarded(ScenarioRunner.WAL, "zgres bridge, wal source", () -> runner.bridged(SourceKind.WAL), progress));
      scenarios.add(runner.fanOut());
      BenchSchema.drop(admin);
    }
    return new BenchResult(startedAt, Machine.current(), servers.description(), plan.settings(), scenarios);
  }

  private interface ScenarioBody {
    ScenarioResult run() throws Exception;
  }

  private static ScenarioResult guarded(String id, String description, ScenarioBody body, Progress progress)
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
