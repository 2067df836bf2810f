package dev.zgres.bench.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded Kafka broker running in a child JVM ({@link BrokerChildMain}) on this process's
 * class path. Closing it closes the child's stdin, which stops the broker.
 */
public final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final Thread stdoutReader;
  private final String bootstrapServers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BrokerProcess(Process process, Thread stdoutReader, String bootstrapServers) {
    this.process = process;
    this.stdoutReader = stdoutReader;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts the broker and waits until it accepts connections. */
  public static BrokerProcess start(List<String> jvmOptions, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BrokerChildMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    CompletableFuture<String> status = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStatus(process, status), "zgres-bench-broker-stdout");
    reader.start();
    String line;
    try {
      line = status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      line = null;
    }
    if (line != null && line.startsWith(BrokerChildMain.READY + " ")) {
      return new BrokerProcess(
          process, reader, line.substring(BrokerChildMain.READY.length() + 1).trim());
    }
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    reader.join(2_000);
    throw new IOException(
        "the Kafka broker did not start: "
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
        if (line.startsWith(BrokerChildMain.READY + " ")
            || line.startsWith(BrokerChildMain.FAILED + " ")) {
          status.complete(line);
        }
      }
    } catch (IOException e) {
      status.completeExceptionally(e);
    } finally {
      status.complete(null);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    ChildStop.stop(process, stdoutReader);
  }
}
