package dev.zgres.bench.faults;

import dev.zgres.bench.child.BridgeJvm;
import dev.zgres.bench.child.BridgeProcess;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/zgres bench --faults}: the wal-mode fault scenario of the test suite at a larger
 * scale. Writers commit {@code events} events over {@code channels} {@code chat_message_<n>}
 * channels on an embedded PostgreSQL while the bridge process is killed with SIGKILL five times,
 * the Kafka broker restarts once and PostgreSQL restarts once; then everything in {@code
 * chat.messages} is compared with what committed. Prints one line: written, delivered, lost,
 * duplicates, order violations.
 */
public final class FaultRun {
  private static final int WRITERS = 4;
  private static final Duration BRIDGE_START = Duration.ofSeconds(90);

  private final int events;
  private final int channels;
  private final double rate;
  private final Path out;
  private final PrintStream console;
  private BridgeProcess bridge;
  private int kills;

  /**
   * @param rate events per second, all writers together: the faults are spread over the writing
   */
  public FaultRun(int events, int channels, double rate, Path out, PrintStream console) {
    this.events = events;
    this.channels = channels;
    this.rate = rate;
    this.out = out;
    this.console = console;
  }

  /** Runs the scenario; returns 0 when nothing was lost and order held, else 1. */
  public int execute() throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(out);
    Path log = out.resolve("zgres-bench-faults-bridge.log");
    Files.deleteIfExists(log);
    console.println(
        "zgres bench --faults: "
            + events
            + " events over "
            + channels
            + " channels in wal mode at "
            + (int) rate
            + " events/s, 5 bridge kills (SIGKILL), 1 Kafka restart, 1 PostgreSQL"
            + " restart; bridge log: "
            + log);
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.launch();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.launch()) {
      String url = pg.jdbcUrl();
      SchemaMigrator.migrate(new PgEndpoint(url, "postgres", ""));
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute(FaultWriter.TABLE_DDL);
        s.execute("ALTER DATABASE postgres SET zgres.transport = 'wal'");
      }
      Map<String, String> settings =
          Map.of(
              "ZGRES_PG_URL", url,
              "ZGRES_PG_USER", "postgres",
              "ZGRES_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
              "ZGRES_SOURCE", "wal",
              "ZGRES_METRICS_PORT", "0",
              "ZGRES_RECONNECT_MAX_BACKOFF_MS", "1000");
      bridge =
          BridgeProcess.start(
              settings, List.of(BridgeJvm.LAUNCHER_DEFAULTS.split(" ")), log, BRIDGE_START);

      AtomicInteger budget = new AtomicInteger(events);
      AtomicInteger written = new AtomicInteger();
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      List<FaultWriter> writers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        List<Integer> owned = new ArrayList<>();
        for (int ch = 1 + w; ch <= channels; ch += WRITERS) {
          owned.add(ch);
        }
        FaultWriter writer =
            new FaultWriter(
                url,
                owned.stream().mapToInt(Integer::intValue).toArray(),
                budget,
                written,
                deadline,
                rate / WRITERS);
        writers.add(writer);
        threads.add(Thread.ofPlatform().name("zgres-bench-fault-writer-" + w).start(writer));
      }

      awaitWritten(written, events / 10, threads);
      killAndRestart(settings, log, written);
      awaitWritten(written, events / 4, threads);
      killAndRestart(settings, log, written);
      awaitWritten(written, events * 2 / 5, threads);
      console.println("  restarting Kafka at written=" + written.get());
      kafka.stop();
      kafka.start();
      awaitWritten(written, events / 2, threads);
      killAndRestart(settings, log, written);
      awaitWritten(written, events * 13 / 20, threads);
      console.println("  restarting PostgreSQL at written=" + written.get());
      pg.stop();
      pg.start();
      awaitWritten(written, events * 3 / 4, threads);
      killAndRestart(settings, log, written);
      awaitWritten(written, events * 9 / 10, threads);
      killAndRestart(settings, log, written);

      for (Thread t : threads) {
        t.join();
      }
      int retries = 0;
      for (FaultWriter writer : writers) {
        if (writer.failure() != null) {
          throw new IllegalStateException("a writer failed", writer.failure());
        }
        retries += writer.retries();
      }
      console.println("  writers done (" + retries + " retried commits); reading chat.messages");
      Set<String> committed = FaultAudit.committed(url);
      FaultAudit audit;
      try {
        audit =
            FaultAudit.read(
                kafka.bootstrapServers(), "chat.messages", committed, Duration.ofSeconds(60));
      } finally {
        bridge.close();
      }
      console.printf(
          "FAULTS wal: written=%d delivered=%d lost=%d duplicates=%d order_violations=%d phantom=%d"
              + " bridge_kills=%d kafka_restarts=1 pg_restarts=1 channels=%d rate=%.0f/s seconds=%.0f%n",
          audit.written(),
          audit.delivered(),
          audit.lost(),
          audit.duplicates(),
          audit.orderViolations(),
          audit.phantom(),
          kills,
          channels,
          rate,
          (System.nanoTime() - started) / 1e9);
      return audit.lost() == 0 && audit.orderViolations() == 0 && audit.phantom() == 0 ? 0 : 1;
    } finally {
      if (bridge != null) {
        bridge.kill();
      }
    }
  }

  private void killAndRestart(Map<String, String> settings, Path log, AtomicInteger written)
      throws Exception {
    console.println("  kill -9 of bridge " + bridge.pid() + " at written=" + written.get());
    bridge.kill();
    kills++;
    bridge =
        BridgeProcess.start(
            settings, List.of(BridgeJvm.LAUNCHER_DEFAULTS.split(" ")), log, BRIDGE_START);
  }

  /** Waits for the writers to reach {@code count} committed events (or all to finish). */
  private static void awaitWritten(AtomicInteger written, int count, List<Thread> writers)
      throws InterruptedException {
    while (written.get() < count && writers.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(20);
    }
  }
}
