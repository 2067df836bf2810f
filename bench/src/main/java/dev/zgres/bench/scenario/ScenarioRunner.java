package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeProcess;
import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.receive.EventReceiver;
import dev.zgres.bench.receive.KafkaReceiver;
import dev.zgres.bench.receive.ListenReceiver;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import dev.zgres.bridge.config.SourceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios, each over the same grid of loads (every writer count, open loop then closed loop)
 * so their figures compare phase by phase.
 */
public final class ScenarioRunner {
  public static final String B0 = "B0";
  public static final String B1 = "B1";
  public static final String NOTIFY = "notify";
  public static final String WAL = "wal";
  public static final String FAN_OUT = "fan-out";
  public static final String RSS_PURPOSE = "rss";

  private final BenchPlan plan;
  private final BenchServers servers;
  private final PhaseRunner phases;
  private final Progress progress;

  ScenarioRunner(BenchPlan plan, BenchServers servers, PhaseRunner phases, Progress progress) {
    this.plan = plan;
    this.servers = servers;
    this.phases = phases;
    this.progress = progress;
  }

  /** B0: INSERTs into a table without a trigger; nothing is received. */
  ScenarioResult insertBaseline() throws SQLException, InterruptedException {
    String what = "plain INSERT, no trigger: the writer rate PostgreSQL allows";
    progress.note(B0 + ": " + what);
    phases.warmUp(EventTable.PLAIN, Load.closed(plan.maxWriters()));
    return new ScenarioResult(B0, what, grid(B0, EventTable.PLAIN, null, null));
  }

  /** B1: INSERTs under a hand-written pg_notify trigger, received by a plain pgjdbc LISTEN loop. */
  ScenarioResult listenBaseline() throws SQLException, InterruptedException {
    String what = "INSERT with a plain pg_notify trigger, received by a pgjdbc LISTEN loop (no Kafka)";
    progress.note(B1 + ": " + what);
    try (ListenReceiver receiver = new ListenReceiver(servers, BenchSchema.PLAIN_CHANNEL)) {
      phases.warmUp(EventTable.PLAIN_NOTIFY, Load.closed(plan.maxWriters()));
      return new ScenarioResult(B1, what, grid(B1, EventTable.PLAIN_NOTIFY, receiver, null));
    }
  }

  /**
   * notify or wal: INSERTs under the generic zgres trigger, through a bridge in a child JVM, received
   * by a Kafka consumer.
   */
  ScenarioResult bridged(SourceKind source) throws SQLException, InterruptedException, IOException {
    String id = source == SourceKind.NOTIFY ? NOTIFY : WAL;
    String what = "INSERT with the generic zgres trigger (zgres.emit, transport " + source.label()
        + "), bridge in its own JVM, received by a Kafka consumer";
    progress.note(id + ": " + what);
    Map<String, String> writerConnection =
        source == SourceKind.WAL ? Map.of("options", "-c zgres.transport=wal") : Map.of();
    BridgeProcess bridge;
    try {
      bridge = BridgeProcess.start(bridgeSettings(source), bridgeJvmOptions(id), plan.outDir().resolve("bridge-" + id + ".log"),
          Duration.ofSeconds(90));
    } catch (BridgeUnavailableException e) {
      progress.note(id + ": n/a (" + e.getMessage() + ")");
      return ScenarioResult.unavailable(id, what, source == SourceKind.WAL ? "wal source not available in this build" : e.getMessage());
    }
    try (bridge;
        KafkaReceiver receiver = new KafkaReceiver(servers.kafkaBootstrap(), BenchSchema.ZGRES_TOPIC, 1)) {
      PhaseRunner sourcePhases = source == SourceKind.WAL ? phases.withWriterConnection(writerConnection) : phases;
      ProcessProbe probe = bridge.probe(phases.ticksPerSecond());
      progress.note(id + ": bridge up (pid " + bridge.pid() + ", metrics port " + bridge.metricsPort() + ")");
      sourcePhases.warmUp(EventTable.ZGRES, Load.closed(plan.maxWriters()));
      List<PhaseResult> results = new ArrayList<>(gridOn(sourcePhases, id, EventTable.ZGRES, receiver, probe));
      if (source == SourceKind.NOTIFY && !plan.quick()) {
        results.add(measure(sourcePhases, id, EventTable.ZGRES, Load.open(plan.maxWriters(), plan.rssRate()), receiver, probe,
            RSS_PURPOSE));
      }
      if (!bridge.isAlive()) {
        throw new IOException("the " + id + " bridge died during the run; see its log in " + plan.outDir());
      }
      return new ScenarioResult(id, what, results);
    }
  }

  /** Fan-out to WebSocket clients needs the gateway, which this build does not have. */
  ScenarioResult fanOut() {
    String what = "Kafka to 5,000 WebSocket clients through the gateway";
    progress.note(FAN_OUT + ": n/a (gateway not built yet)");
    return ScenarioResult.unavailable(FAN_OUT, what, "gateway not built yet");
  }

  private List<PhaseResult> grid(String scenario, EventTable table, EventReceiver receiver, ProcessProbe bridge)
      throws SQLException, InterruptedException {
    return gridOn(phases, scenario, table, receiver, bridge);
  }

  private List<PhaseResult> gridOn(PhaseRunner runner, String scenario, EventTable table, EventReceiver receiver,
      ProcessProbe bridge) throws SQLException, InterruptedException {
    List<PhaseResult> results = new ArrayList<>();
    for (int writers : plan.writerCounts()) {
      results.add(measure(runner, scenario, table, Load.open(writers, plan.openRate()), receiver, bridge, ""));
      results.add(measure(runner, scenario, table, Load.closed(writers), receiver, bridge, ""));
    }
    return results;
  }

  private PhaseResult measure(PhaseRunner runner, String scenario, EventTable table, Load load, EventReceiver receiver,
      ProcessProbe bridge, String purpose) throws SQLException, InterruptedException {
    PhaseResult result = runner.run(scenario, table, load, receiver, bridge, purpose);
    progress.phaseDone(result);
    return result;
  }

  private Map<String, String> bridgeSettings(SourceKind source) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("ZGRES_PG_URL", servers.pgUrl());
    settings.put("ZGRES_PG_USER", servers.pgUser());
    settings.put("ZGRES_PG_PASSWORD", servers.pgPassword());
    settings.put("ZGRES_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
    settings.put("ZGRES_SOURCE", source.label());
    settings.put("ZGRES_CHANNELS", BenchSchema.ZGRES_CHANNEL);
    settings.put("ZGRES_METRICS_PORT", "0");
    settings.putAll(plan.bridgeSettings());
    return settings;
  }

  private List<String> bridgeJvmOptions(String id) {
    List<String> options = new ArrayList<>(plan.bridgeJvmOptions());
    if (plan.profile()) {
      Path recording = plan.outDir().resolve("bridge-" + id + ".jfr").toAbsolutePath();
      options.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
    }
    return options;
  }
}
