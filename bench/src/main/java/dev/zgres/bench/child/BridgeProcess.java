package dev.zgres.bench.child;

import dev.zgres.bench.measure.ProcessProbe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bridge running in a child JVM ({@link BridgeChildMain}) on this process's own class path. Its
 * log goes to a file; closing it closes the child's stdin, which makes the bridge drain and exit,
 * and kills it only if that takes too long.
 */
public final class BridgeProcess implements AutoCloseable {
  private final Process process;
  private final Thread stdoutReader;
  private final int metricsPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BridgeProcess(Process process, Thread stdoutReader, int metricsPort) {
    this.process = process;
    this.stdoutReader = stdoutReader;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts a bridge and waits until it LISTENs (or reads its slot).
   *
   * @param settings {@code ZGRES_*} settings
   * @param jvmOptions options of the child JVM, e.g. heap size or a flight recording
   * @param log file the child's log is appended to
   * @throws BridgeUnavailableException if this build's bridge does not support the settings
   */
  public static BridgeProcess start(
      Map<String, String> settings, List<String> jvmOptions, Path log, Duration timeout)
      throws IOException, BridgeUnavailableException, InterruptedException {
    return start(BridgeChildMain.class, settings, jvmOptions, log, timeout);
  }

  /**
   * As above, for another relay with {@link BridgeChildMain}'s status protocol (e.g. {@link
   * DebeziumChildMain}).
   */
  public static BridgeProcess start(
      Class<?> main,
      Map<String, String> settings,
      List<String> jvmOptions,
      Path log,
      Duration timeout)
      throws IOException, BridgeUnavailableException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    // The bridge logs to its file at INFO unless told otherwise; the bench's own console stays
    // quiet.
    builder.environment().putIfAbsent("ZGRES_LOG_LEVEL", "INFO");
    builder.environment().putAll(settings);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    CompletableFuture<String> status = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStatus(process, status), "zgres-bench-bridge-stdout");
    reader.start();
    String line;
    try {
      line = status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      line = null;
    }
    if (line != null && line.startsWith(BridgeChildMain.READY + " ")) {
      return new BridgeProcess(process, reader, Integer.parseInt(line.substring(6).trim()));
    }
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    reader.join(2_000);
    if (line != null && line.startsWith(BridgeChildMain.UNSUPPORTED + " ")) {
      throw new BridgeUnavailableException(
          line.substring(BridgeChildMain.UNSUPPORTED.length() + 1));
    }
    throw new IOException(
        "the bridge did not start: "
            + (line == null ? "no answer within " + timeout.toSeconds() + " s" : line)
            + " (log: "
            + log
            + ")");
  }

  private static void readStatus(Process process, CompletableFuture<String> status) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        // The JVM itself may print first (e.g. a flight recording's start); only our status counts.
        if (line.startsWith(BridgeChildMain.READY + " ")
            || line.startsWith(BridgeChildMain.UNSUPPORTED + " ")
            || line.startsWith(BridgeChildMain.FAILED + " ")) {
          status.complete(line);
        }
      }
    } catch (IOException e) {
      status.completeExceptionally(e);
    } finally {
      status.complete(null);
    }
  }

  public long pid() {
    return process.pid();
  }

  public int metricsPort() {
    return metricsPort;
  }

  public ProcessProbe probe(long ticksPerSecond) {
    return new ProcessProbe(process.pid(), ticksPerSecond);
  }

  /** Kills the bridge with SIGKILL (no drain, no flush) and waits for it to be gone. */
  public void kill() throws InterruptedException {
    closed.set(true);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    stdoutReader.join(2_000);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    ChildStop.stop(process, stdoutReader);
  }
}
