package dev.zgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL server run from the binaries that Maven brings, on loopback, ready for both sources:
 * {@code wal_level=logical} with room for replication slots. It keeps its data directory and port
 * across {@link #stop()} and {@link #start()}, so a test can restart PostgreSQL.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final Map<String, String> settings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(Path dataDir, int port, Map<String, String> settings) {
    this.dataDir = dataDir;
    this.port = port;
    this.settings = settings;
  }

  /**
   * Starts a server in a fresh data directory.
   *
   * @param durable true for a benchmark: fsync and synchronous commit on, as in production; false
   *     for tests, where crash safety of a throw-away cluster buys nothing
   * @param extraSettings further {@code postgresql.conf} settings, applied last
   */
  public static EmbeddedPostgresServer launch(boolean durable, Map<String, String> extraSettings) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("wal_level", "logical");
    settings.put("max_wal_senders", "10");
    settings.put("max_replication_slots", "10");
    settings.put("max_connections", "200");
    settings.put("track_commit_timestamp", "on");
    settings.put("fsync", durable ? "on" : "off");
    settings.put("synchronous_commit", durable ? "on" : "off");
    settings.put("full_page_writes", durable ? "on" : "off");
    settings.putAll(extraSettings);
    try {
      Path dir = Files.createTempDirectory("zgres-pg-");
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir, FreePort.pick(), settings);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the PostgreSQL data directory", e);
    }
  }

  public static EmbeddedPostgresServer launch() {
    return launch(false, Map.of());
  }

  /** JDBC URL of the {@code postgres} database; the user is {@code postgres}, with no password. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /**
   * The data directory, where a test may write {@code pg_hba.conf} (then reload the configuration
   * with {@code SELECT pg_reload_conf()}).
   */
  public Path dataDirectory() {
    return dataDir;
  }

  /** Starts the server again after {@link #stop()}, on the same port and data directory. */
  public synchronized void start() {
    if (postgres != null) {
      return;
    }
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false);
    settings.forEach(builder::setServerConfig);
    try {
      postgres = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
    }
  }

  /**
   * Stops the server (fast shutdown), keeping its data; {@link #start()} brings it back. Waits for
   * the postmaster to be gone even when {@code pg_ctl} gives up first: a fast shutdown waits for
   * logical walsenders until their client confirmed everything sent, which under load can take
   * longer than the embedded server's own 5 s.
   */
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
    } finally {
      postgres = null;
      awaitPostmasterGone(Duration.ofMinutes(2));
    }
  }

  private void awaitPostmasterGone(Duration timeout) {
    Path pid = dataDir.resolve("postmaster.pid");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Files.exists(pid)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PostgreSQL on port " + port + " did not stop within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while PostgreSQL was stopping", e);
      }
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    stop();
    EmbeddedKafkaBroker.deleteRecursively(dataDir);
  }
}
