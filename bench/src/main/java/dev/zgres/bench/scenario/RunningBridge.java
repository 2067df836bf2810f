package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeProcess;
import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.measure.AckHistogram;
import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.receive.KafkaReceiver;
import dev.zgres.bench.result.PhaseResult;
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

/** A bridge in its child JVM plus the Kafka consumer that receives what it publishes. */
final class RunningBridge implements AutoCloseable {
  private final BridgeProcess process;
  private final KafkaReceiver receiver;
  private final ProcessProbe probe;
  private final AckHistogram acks;

  private RunningBridge(BridgeProcess process, KafkaReceiver receiver, ProcessProbe probe) {
    this.process = process;
    this.receiver = receiver;
    this.probe = probe;
    this.acks = new AckHistogram(process.metricsPort());
  }

  /**
   * @throws BridgeUnavailableException when this build's bridge cannot run {@code source}
   */
  static RunningBridge start(
      SourceKind source, String id, BenchPlan plan, BenchServers servers, long ticksPerSecond)
      throws IOException, InterruptedException, BridgeUnavailableException {
    return start(source, id, plan, servers, ticksPerSecond, Map.of());
  }

  /** As above, with {@code overrides} replacing settings (e.g. the channels). */
  static RunningBridge start(
      SourceKind source,
      String id,
      BenchPlan plan,
      BenchServers servers,
      long ticksPerSecond,
      Map<String, String> overrides)
      throws IOException, InterruptedException, BridgeUnavailableException {
    Map<String, String> settings = settings(source, plan, servers);
    settings.putAll(overrides);
    BridgeProcess process =
        BridgeProcess.start(
            settings,
            jvmOptions(id, plan),
            plan.outDir().resolve("bridge-" + id + ".log"),
            Duration.ofSeconds(90));
    try {
      KafkaReceiver receiver =
          new KafkaReceiver(servers.kafkaBootstrap(), BenchSchema.ZGRES_TOPIC, 1);
      return new RunningBridge(process, receiver, process.probe(ticksPerSecond));
    } catch (RuntimeException | InterruptedException e) {
      process.close();
      throw e;
    }
  }

  /**
   * One phase of {@code scenario} whose events this bridge carries to its Kafka consumer, with its
   * CPU, RSS and acknowledgement histogram; reported to {@code progress} as it ends.
   */
  PhaseResult measure(
      PhaseRunner runner,
      Progress progress,
      String scenario,
      EventTable table,
      Load load,
      String purpose)
      throws SQLException, InterruptedException {
    PhaseResult result = runner.run(scenario, table, load, receiver, probe, acks, purpose);
    progress.phaseDone(result);
    return result;
  }

  String describe() {
    return "pid " + process.pid() + ", metrics port " + process.metricsPort();
  }

  /**
   * @throws IOException if the bridge died during the run
   */
  void checkAlive(String id, Path outDir) throws IOException {
    if (!process.isAlive()) {
      throw new IOException("the " + id + " bridge died during the run; see its log in " + outDir);
    }
  }

  static Map<String, String> settings(SourceKind source, BenchPlan plan, BenchServers servers) {
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

  static List<String> jvmOptions(String id, BenchPlan plan) {
    List<String> options = new ArrayList<>(plan.bridgeJvmOptions());
    if (plan.profile()) {
      Path recording = plan.outDir().resolve("bridge-" + id + ".jfr").toAbsolutePath();
      options.add(
          "-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
    }
    return options;
  }

  @Override
  public void close() {
    try {
      receiver.close();
    } finally {
      process.close();
    }
  }
}
