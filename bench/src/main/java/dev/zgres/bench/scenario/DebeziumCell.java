package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeJvm;
import dev.zgres.bench.child.BridgeProcess;
import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.child.DebeziumChildMain;
import dev.zgres.bench.receive.KafkaReceiver;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer: Debezium's embedded PostgreSQL connector in its own JVM ({@link DebeziumChildMain})
 * capturing the rows B0's writers insert (no trigger: Debezium reads the table's changes from the
 * WAL through pgoutput), producing each change to Kafka under zgres's producer contract, read by
 * the same Kafka consumer as notify and wal. Run twice over the grid: Debezium's default settings,
 * and tuned with {@code poll.interval.ms=1}.
 */
final class DebeziumCell {
  static final String ID = "debezium";
  static final String TUNED = "debezium-tuned";
  static final String WHAT =
      "plain INSERT (B0's table), captured by Debezium embedded 3.6.1 (pgoutput, default settings)"
          + " in its own JVM, produced to Kafka with zgres's producer contract";
  static final String TUNED_WHAT = "the same with poll.interval.ms=1";
  static final String TOPIC = "zgres_bench_debezium";

  private DebeziumCell() {}

  static List<ScenarioResult> scenarios(
      BenchPlan plan, BenchServers servers, PhaseRunner phases, Progress progress, List<Load> grid)
      throws IOException, InterruptedException, SQLException {
    if (!plan.scenarios().contains(ID)) {
      return List.of(
          ScenarioResult.unavailable(ID, WHAT, ScenarioRunner.NOT_SELECTED),
          ScenarioResult.unavailable(TUNED, TUNED_WHAT, ScenarioRunner.NOT_SELECTED));
    }
    servers.ensureTopic(TOPIC, 1);
    return List.of(
        variant(ID, WHAT, "", plan, servers, phases, progress, grid),
        variant(TUNED, TUNED_WHAT, "1", plan, servers, phases, progress, grid));
  }

  private static ScenarioResult variant(
      String id,
      String what,
      String pollMillis,
      BenchPlan plan,
      BenchServers servers,
      PhaseRunner phases,
      Progress progress,
      List<Load> grid)
      throws IOException, InterruptedException, SQLException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZGRES_BENCH_DBZ_PG_URL", servers.pgUrl());
    env.put("ZGRES_BENCH_DBZ_PG_USER", servers.pgUser());
    env.put("ZGRES_BENCH_DBZ_PG_PASSWORD", servers.pgPassword());
    env.put("ZGRES_BENCH_DBZ_KAFKA", servers.kafkaBootstrap());
    env.put("ZGRES_BENCH_DBZ_TOPIC", TOPIC);
    env.put("ZGRES_BENCH_DBZ_TABLE", EventTable.PLAIN.qualifiedName());
    env.put("ZGRES_BENCH_DBZ_POLL_MS", pollMillis);
    String jvm = pollMillis.isEmpty() ? BridgeJvm.DEBEZIUM_DEFAULT : BridgeJvm.DEBEZIUM_TUNED;
    progress.note(id + ": starting Debezium in its own JVM [" + jvm + "]");
    BridgeProcess process;
    try {
      process =
          BridgeProcess.start(
              DebeziumChildMain.class,
              env,
              List.of(jvm.split(" ")),
              plan.outDir().resolve(id + ".log"),
              Duration.ofSeconds(180));
    } catch (BridgeUnavailableException | IOException e) {
      progress.note(id + ": FAILED: " + e.getMessage());
      return ScenarioResult.failed(id, what, e.getMessage());
    }
    try (process;
        KafkaReceiver receiver = new KafkaReceiver(servers.kafkaBootstrap(), TOPIC, 1)) {
      phases.warmUp(EventTable.PLAIN, Load.closed(plan.maxWriters()));
      phases.warmUp(EventTable.PLAIN, Load.open(plan.maxWriters(), plan.openRate()));
      List<PhaseResult> results = new ArrayList<>();
      for (Load load : grid) {
        PhaseResult r =
            phases.run(
                id,
                EventTable.PLAIN,
                load,
                receiver,
                process.probe(phases.ticksPerSecond()),
                null,
                "");
        progress.phaseDone(r);
        results.add(r);
      }
      if (!process.isAlive()) {
        return ScenarioResult.failed(id, what, "Debezium's JVM died; see " + id + ".log");
      }
      return new ScenarioResult(id, what, results);
    }
  }
}
