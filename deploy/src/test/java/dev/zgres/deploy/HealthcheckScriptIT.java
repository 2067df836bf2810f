package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.embedded.FreePort;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's healthcheck script ({@code deploy/docker/zgres-healthcheck}) against the metrics
 * server every zgres process runs: healthy on 200 only.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HealthcheckScriptIT {

  @Test
  void passesOn200AndFailsOn503() throws Exception {
    AtomicBoolean up = new AtomicBoolean(true);
    try (ProcessMeters meters = new ProcessMeters();
        MetricsServer server = meters.serve(0, () -> new HealthReport(up.get(), Map.of()))) {
      Tools.Run healthy = healthcheck(server.port());
      assertThat(healthy.exitStatus()).as(healthy.output()).isZero();
      up.set(false);
      Tools.Run down = healthcheck(server.port());
      assertThat(down.exitStatus()).isEqualTo(1);
      assertThat(down.output()).contains("answered: HTTP/1.1 503");
    }
  }

  @Test
  void failsWhenNothingAnswers() throws Exception {
    Tools.Run check = healthcheck(FreePort.pick());
    assertThat(check.exitStatus()).as(check.output()).isNotZero();
  }

  /** Runs the script as the image does: with the container's ZGRES_METRICS_PORT. */
  static Tools.Run healthcheck(int port) throws Exception {
    Path bash = Tools.require("bash", "bash");
    ProcessBuilder builder =
        new ProcessBuilder(bash.toString(), RepoFiles.healthcheckScript().toString())
            .redirectErrorStream(true);
    builder.environment().put("ZGRES_METRICS_PORT", String.valueOf(port));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("healthcheck finished").isTrue();
    return new Tools.Run(process.exitValue(), output);
  }
}
