package dev.zgres.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A compose service's process run on this machine exactly as the image runs it: the Dockerfile's
 * ENTRYPOINT (with {@code java} from this JDK and the jar the build stage copies), the service's
 * command as the argument, and the service's environment rewritten for local servers. Its output
 * goes to a log file; {@link #stop()} sends SIGTERM as {@code docker stop} does.
 */
final class ImageProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";

  private final String service;
  private final Process process;
  private final int metricsPort;
  private final Path log;

  private ImageProcess(String service, Process process, int metricsPort, Path log) {
    this.service = service;
    this.process = process;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  static ImageProcess start(
      Dockerfile image, ComposeService service, Map<String, String> environment, Path logDir)
      throws IOException {
    List<String> command = new ArrayList<>();
    for (String part : image.last().last("ENTRYPOINT").orElseThrow().execForm().orElseThrow()) {
      if (part.equals("java")) {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (part.endsWith("/zgres.jar")) {
        command.add(RepoFiles.imageJar().toString());
      } else if (part.startsWith(SHARED_ARCHIVE)) {
        // the image's archive directory exists only in the image: one per service here
        command.add(SHARED_ARCHIVE + logDir.resolve(service.name() + ".jsa").toAbsolutePath());
      } else {
        command.add(part);
      }
    }
    command.addAll(service.command());
    Path log = logDir.resolve(service.name() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ZGRES_") || k.startsWith("JDK_"));
    builder.environment().putAll(environment);
    builder.directory(logDir.toFile());
    int port = Integer.parseInt(environment.getOrDefault("ZGRES_METRICS_PORT", "-1"));
    return new ImageProcess(service.name(), builder.start(), port, log);
  }

  String service() {
    return service;
  }

  int metricsPort() {
    return metricsPort;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The HTTP status of {@code /health}, or -1 while nothing answers. */
  int health() {
    return get("/health").statusCode();
  }

  /** The body of {@code /metrics}, or empty while nothing answers. */
  String metrics() {
    return get("/metrics").body();
  }

  /**
   * Whether a sample of {@code name} (as in a scrape: {@code x_total}, {@code x_bucket}) exists.
   */
  boolean exposes(String name) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return true;
      }
    }
    return false;
  }

  /** Exits after {@code timeout}, or fails naming the log. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(service + " still running after " + timeout + "; see " + log);
    }
    return process.exitValue();
  }

  /** SIGTERM, as {@code docker stop} sends to the container's PID 1. */
  void stop() {
    process.destroy();
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

  private record Answer(int statusCode, String body) {}

  private Answer get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "");
    }
  }
}
