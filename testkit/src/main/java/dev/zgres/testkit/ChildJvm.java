package dev.zgres.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.embedded.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A zgres process (bridge, worker, gateway) running in a child JVM on this test's class path, with
 * its output in a log file, so that a test can kill it for real: {@link #kill()} is a SIGKILL, and
 * the process gets no chance to flush. Its {@code /health} and {@code /metrics} are read over HTTP.
 */
public final class ChildJvm implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int metricsPort;
  private final Path log;

  private ChildJvm(Process process, int metricsPort, Path log) {
    this.process = process;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with these {@code ZGRES_*} settings as its environment (no other
   * {@code ZGRES_*} variable is inherited; the metrics port is picked here).
   */
  public static ChildJvm start(Class<?> mainClass, Map<String, String> settings, Path log)
      throws IOException {
    int port = FreePort.pick();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass.getName()));
    builder.environment().keySet().removeIf(k -> k.startsWith("ZGRES_"));
    builder.environment().putAll(settings);
    builder.environment().put("ZGRES_METRICS_PORT", String.valueOf(port));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ChildJvm(builder.start(), port, log);
  }

  /** The port of the process's {@code /metrics} and {@code /health}. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The file the process's output goes to. */
  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /**
   * The role {@code /health} reports ({@code active}, {@code standby}), or null while it does not
   * answer.
   */
  public String role() {
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + metricsPort + "/health").toURL().openConnection();
      http.setConnectTimeout(200);
      http.setReadTimeout(1_000);
      try (InputStream in =
          http.getResponseCode() < 400 ? http.getInputStream() : http.getErrorStream()) {
        JsonNode body = JSON.readTree(in);
        return body.path("role").asText(null);
      } finally {
        http.disconnect();
      }
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The value of an unlabelled meter on {@code /metrics}, by its Prometheus name (e.g. {@code
   * zgres_source_reconnects_total{source="wal"}}), or NaN while the process does not answer.
   */
  public double metric(String name) {
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL().openConnection();
      http.setConnectTimeout(200);
      http.setReadTimeout(1_000);
      try (InputStream in = http.getInputStream()) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (line.startsWith(name + " ")) {
            return Double.parseDouble(line.substring(name.length() + 1).trim());
          }
        }
        return Double.NaN;
      } finally {
        http.disconnect();
      }
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** Waits until {@code /health} reports {@code role}; fails after the timeout, naming the log. */
  public void awaitRole(String role, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!role.equals(role())) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "process " + pid() + " exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "process " + pid() + " not " + role + " within " + timeout + "; see " + log);
      }
      Thread.sleep(20);
    }
  }

  /** Kills the process (SIGKILL) and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + pid() + " survived a kill");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
