package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeJvm;
import dev.zgres.bench.child.BridgeProcess;
import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.measure.LatencyMatcher;
import dev.zgres.bench.measure.LatencySummary;
import dev.zgres.bench.receive.KafkaReceiver;
import dev.zgres.bench.result.DeliveryStats;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.WriterStats;
import dev.zgres.bridge.config.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time to the first event: a writer inserts into the zgres table every {@value #INTERVAL_MILLIS} ms
 * while a fresh bridge JVM (notify source) is launched; the figure is from the launch (process
 * creation, JVM start included) to the first record the Kafka consumer receives. Events committed
 * before the bridge LISTENs are lost by design (NOTIFY is at-most-once), so this is the time until
 * the bridge delivers, not until some old event is drained.
 *
 * <p>Three launches: as {@code bin/zgres bridge} starts it once its class-data archive exists (the
 * judged figure), the first such launch (which writes the archive), and one without an archive.
 */
final class StartupCell {
  static final String ID = "startup";
  static final String WHAT =
      "a fresh bridge JVM (notify): from process launch to the first event a Kafka consumer receives,"
          + " a writer inserting every 5 ms throughout";
  private static final long INTERVAL_MILLIS = 5;
  private static final long FIRST_ID = 2_000_000_000_000_000L;
  static final String FIRST_LAUNCH = "first launch, writing the class archive: ";
  static final String WITHOUT_ARCHIVE = "without a class archive: ";

  private StartupCell() {}

  /** The cell as a scenario: one launch, or why it did not run. */
  static ScenarioResult scenario(BenchPlan plan, BenchServers servers, Progress progress)
      throws IOException, InterruptedException, SQLException {
    if (!plan.scenarios().contains(ID)) {
      return ScenarioResult.unavailable(ID, WHAT, ScenarioRunner.NOT_SELECTED);
    }
    try {
      // As bin/zgres launches it: its JVM options and its class-data archive. The first launch
      // writes the archive when it exits; every later launch maps it, and that is what is judged.
      Path archive = plan.outDir().resolve("bridge-startup.jsa").toAbsolutePath();
      Files.deleteIfExists(archive);
      List<String> cds = BridgeJvm.classArchive(archive);
      PhaseResult first = measure(plan, servers, cds, FIRST_LAUNCH);
      PhaseResult launch = measure(plan, servers, cds, "");
      PhaseResult plain = measure(plan, servers, List.of(), WITHOUT_ARCHIVE);
      progress.note(ID + ": " + launch.purpose());
      progress.note(ID + ": " + first.purpose());
      progress.note(ID + ": " + plain.purpose());
      return new ScenarioResult(ID, WHAT, List.of(launch, first, plain));
    } catch (BridgeUnavailableException e) {
      return ScenarioResult.unavailable(ID, WHAT, e.getMessage());
    }
  }

  private static List<String> jvmOptions(BenchPlan plan, List<String> extra) {
    List<String> options = new ArrayList<>(RunningBridge.jvmOptions(ID, plan));
    options.addAll(extra);
    return options;
  }

  static PhaseResult measure(
      BenchPlan plan, BenchServers servers, List<String> extraJvmOptions, String label)
      throws IOException, InterruptedException, SQLException, BridgeUnavailableException {
    LatencyMatcher matcher = new LatencyMatcher();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    try (KafkaReceiver receiver =
            new KafkaReceiver(servers.kafkaBootstrap(), BenchSchema.ZGRES_TOPIC, 1);
        Connection writer = servers.connect("zgres-bench-startup-writer");
        PreparedStatement insert =
            writer.prepareStatement(
                "INSERT INTO "
                    + EventTable.ZGRES.qualifiedName()
                    + " (id, writer, body) VALUES (?, 0, 'startup')")) {
      try (Statement s = writer.createStatement()) {
        s.execute("TRUNCATE " + EventTable.ZGRES.qualifiedName());
      }
      receiver.attach(matcher);
      Thread writes =
          new Thread(
              () -> {
                try {
                  while (writing.get()) {
                    insert.setLong(1, FIRST_ID + written.getAndIncrement());
                    insert.executeUpdate();
                    Thread.sleep(INTERVAL_MILLIS);
                  }
                } catch (SQLException e) {
                  System.err.println("zgres bench: the startup writer stopped: " + e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "zgres-bench-startup-writer");
      writes.start();
      long launched = System.nanoTime();
      try (BridgeProcess bridge =
          BridgeProcess.start(
              RunningBridge.settings(SourceKind.NOTIFY, plan, servers),
              jvmOptions(plan, extraJvmOptions),
              plan.outDir().resolve("bridge-" + ID + ".log"),
              Duration.ofSeconds(90))) {
        long ready = System.nanoTime();
        long deadline = ready + Duration.ofSeconds(30).toNanos();
        while (matcher.lastReceiptNanos() == Long.MIN_VALUE && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        long first = matcher.lastReceiptNanos();
        writing.set(false);
        writes.join(5_000);
        receiver.attach(null);
        double toFirst = first == Long.MIN_VALUE ? Double.NaN : (first - launched) / 1e6;
        double toReady = (ready - launched) / 1e6;
        return new PhaseResult(
            ID,
            1,
            "launch",
            0,
            new WriterStats(
                written.get(),
                (System.nanoTime() - launched) / 1e9,
                LatencySummary.EMPTY,
                0,
                launched),
            new DeliveryStats(
                first == Long.MIN_VALUE ? 0 : 1,
                0,
                0,
                0,
                new LatencySummary(1, toFirst, toFirst, toFirst, toFirst),
                new LatencySummary(1, toReady, toReady, toReady, toReady),
                null),
            null,
            null,
            String.format(
                "%sfirst event %.0f ms after launch (bridge ready %.0f ms)",
                label, toFirst, toReady));
      }
    } finally {
      writing.set(false);
    }
  }
}
