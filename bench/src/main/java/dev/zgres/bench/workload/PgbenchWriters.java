package dev.zgres.bench.workload;

import dev.zgres.bench.measure.LatencySummary;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Writers outside the benchmark's JVM: PostgreSQL's own {@code pgbench}, one connection per writer,
 * inserting B1's row (same 64-byte body, prepared statement, autocommit) into an {@link EventTable}
 * whose ids default to a sequence. Open loop with {@code --rate} (pgbench schedules each
 * transaction; its total rate is spread over the clients), closed loop without it.
 */
public final class PgbenchWriters {
  private static final Pattern PROCESSED =
      Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern TPS =
      Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");
  private static final Pattern CONNECT = Pattern.compile("initial connection time = ([\\d.]+) ms");

  private final Path pgbench;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Path workDir;

  private PgbenchWriters(Path pgbench, String jdbcUrl, String user, String password, Path workDir) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    this.pgbench = pgbench;
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
    this.database = uri.getPath().substring(1);
    this.user = user;
    this.password = password;
    this.workDir = workDir;
  }

  /** pgbench from the PATH or a Debian/Ubuntu PostgreSQL package; empty if there is none. */
  public static Optional<PgbenchWriters> find(
      String jdbcUrl, String user, String password, Path workDir) {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "pgbench"));
      }
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      versions
          .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
          .forEach(v -> candidates.add(v.resolve("bin/pgbench")));
    } catch (IOException e) {
      // no packaged PostgreSQL
    }
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .map(p -> new PgbenchWriters(p, jdbcUrl, user, password, workDir));
  }

  public Path executable() {
    return pgbench;
  }

  /**
   * Runs pgbench for {@code duration} and returns what its writers did; the insert latency comes
   * from pgbench's per-transaction log. {@link WriterStats#startNanos()} is when the clients had
   * connected, in this JVM's {@link System#nanoTime()}.
   */
  public WriterStats run(EventTable table, Load load, Duration duration)
      throws IOException, InterruptedException {
    Path script = workDir.resolve("pgbench-insert.sql");
    Files.writeString(
        script,
        "INSERT INTO "
            + table.qualifiedName()
            + " (writer, body) VALUES (:client_id, '"
            + "x".repeat(64)
            + "');\n");
    Path logs = Files.createTempDirectory(workDir, "pgbench-log");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            pgbench.toString(),
            "-n",
            "-M",
            "prepared",
            "-h",
            host,
            "-p",
            Integer.toString(port),
            "-U",
            user,
            "-c",
            Integer.toString(load.writers()),
            "-j",
            Integer.toString(Math.min(load.writers(), 2)),
            "-T",
            Long.toString(Math.max(1, duration.toSeconds())),
            "-l",
            "--log-prefix=" + logs.resolve("tx"),
            "-f",
            script.toString()));
    if (load.isOpen()) {
      command.add("-R");
      command.add(Long.toString(Math.round(load.eventsPerSecond())));
    }
    command.add(database);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", password == null ? "" : password);
    long launched = System.nanoTime();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("pgbench did not finish");
    }
    try {
      if (process.exitValue() != 0) {
        throw new IOException("pgbench failed (" + process.exitValue() + "): " + output.strip());
      }
      long events = Long.parseLong(find(PROCESSED, output, "transactions processed"));
      double tps = Double.parseDouble(find(TPS, output, "tps"));
      double connectMillis = Double.parseDouble(find(CONNECT, output, "connection time"));
      Histogram inserts = new Histogram(3_600_000_000_000L, 3);
      try (Stream<Path> files = Files.list(logs)) {
        for (Path f : files.toList()) {
          for (String line : Files.readAllLines(f)) {
            // client, transaction, latency µs, script, epoch s, µs[, schedule lag µs with --rate]:
            // with --rate pgbench counts latency from the scheduled start, so the lag comes off.
            String[] fields = line.split(" ");
            if (fields.length > 5) {
              long micros = Long.parseLong(fields[2]);
              if (fields.length > 6) {
                micros -= Long.parseLong(fields[6]);
              }
              inserts.recordValue(Math.max(0, micros) * 1_000);
            }
          }
        }
      }
      return new WriterStats(
          events,
          tps <= 0 ? 0 : events / tps,
          LatencySummary.of(inserts),
          0,
          launched + (long) (connectMillis * 1e6));
    } finally {
      try (Stream<Path> files = Files.list(logs)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(logs);
    }
  }

  private static String find(Pattern pattern, String output, String what) throws IOException {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IOException("pgbench printed no " + what + ": " + output.strip());
    }
    return m.group(1);
  }
}
