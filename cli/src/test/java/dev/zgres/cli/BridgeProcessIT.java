package dev.zgres.cli;

import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.testing.Bridges;
import dev.zgres.embedded.FreePort;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher as a user runs it: a separate process, stopped by a signal. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BridgeProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void sigtermFlushesAndExitsZero() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    int port = FreePort.pick();
    Path log = Files.createTempFile("zgres-bridge", ".log");
    Process bridge =
        launch(
            TestSettings.of(db, kafka)
                .with("ZGRES_CHANNELS", "process_it")
                .with("ZGRES_PRODUCER_PROPERTIES", "linger.ms=3000")
                .toMap(),
            log,
            "bridge",
            "--metrics-port",
            String.valueOf(port));
    try {
      Await.until("the bridge process to report healthy", WAIT, () -> healthy(port));
      try (Connection c = TestServers.connect(db);
          PreparedStatement p = c.prepareStatement("SELECT zgres.emit('process_it', ?)")) {
        for (int i = 0; i < 50; i++) {
          p.setString(1, "p" + i);
          p.execute();
        }
      }
      Await.until(
          "the bridge to receive all 50",
          WAIT,
          () ->
              metric(
                  port,
                  "zgres_events_received_total{channel=\"process_it\",source=\"notify\"} 50.0"));
      bridge.destroy(); // SIGTERM
      assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).as("bridge stopped within 30 s").isTrue();
      assertThat(bridge.exitValue()).as("exit status; log:\n%s", Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("bridge stopped");
      try (TopicReader records = new TopicReader(kafka, List.of("process_it"))) {
        assertThat(records.await(r -> true, 50, WAIT))
            .hasSize(50)
            .extracting(r -> text(r.value()))
            .startsWith("p0");
      }
    } finally {
      bridge.destroyForcibly();
    }
  }

  @Test
  void invalidSettingsExitTwoNamingEachProblem() throws Exception {
    Path log = Files.createTempFile("zgres-bridge", ".log");
    Process bridge =
        launch(
            Map.of("ZGRES_SOURCE", "kafka"),
            log,
            "bridge",
            "--backlog-capacity",
            "0",
            "--channels",
            "ok,,x");
    assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(bridge.exitValue()).as(output).isEqualTo(2);
    assertThat(output)
        .contains("ZGRES_SOURCE must be one of notify, wal (was kafka)")
        .contains("ZGRES_BACKLOG_CAPACITY must be between 1 and 10000000 (was 0)")
        .contains(
            "ZGRES_CHANNELS entries must be channel names or * patterns; an entry must not be empty");
  }

  @Test
  void unreachableDatabaseFailsFastWithTheCause() throws Exception {
    Path log = Files.createTempFile("zgres-bridge", ".log");
    Process bridge =
        launch(
            Map.of("ZGRES_PG_URL", "jdbc:postgresql://127.0.0.1:" + FreePort.pick() + "/nope"),
            log,
            "bridge",
            "--metrics-port",
            "0");
    assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bridge.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log)).contains("zgres bridge:").contains("Connection to 127.0.0.1");
  }

  private static Process launch(Map<String, String> env, Path log, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ZgresMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.directory(new File(System.getProperty("java.io.tmpdir")));
    return builder.start();
  }

  private static boolean healthy(int port) {
    try {
      return Bridges.get(port, "/health").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean metric(int port, String line) {
    try {
      return Bridges.get(port, "/metrics").body().contains(line);
    } catch (Exception e) {
      return false;
    }
  }
}
