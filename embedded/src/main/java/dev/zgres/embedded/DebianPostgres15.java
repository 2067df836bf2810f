package dev.zgres.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 15 server from Debian's packages ({@code postgresql-15}), which, unlike
 * {@link EmbeddedPostgresServer}, can load the PL/Proxy extension ({@code postgresql-15-plproxy}).
 * {@link #start()} runs {@code initdb} into a temporary directory and {@code pg_ctl start} on a
 * free port of 127.0.0.1 with trust authentication; {@link #close()} stops it and deletes the
 * directory. PostgreSQL refuses to run as root, so under root the server runs as the {@code
 * postgres} user that the Debian package creates (through {@code runuser}).
 */
public final class DebianPostgres15 implements AutoCloseable {
  /** Where Debian installs the server binaries; {@code ZGRES_TEST_PG15_BIN} overrides it. */
  static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

  /** What to install when the binaries are missing, for the message of a skipped test. */
  public static final String PACKAGES = "postgresql-15 postgresql-15-plproxy";

  private static final Path PLPROXY_LIBRARY = Path.of("/usr/lib/postgresql/15/lib/plproxy.so");
  private static final String SUPERUSER = "postgres";

  private final Path bin;
  private final Path directory;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DebianPostgres15(Path bin, Path directory, int port) {
    this.bin = bin;
    this.directory = directory;
    this.port = port;
  }

  /**
   * Null when PostgreSQL 15 and PL/Proxy are installed, else what is missing and which packages to
   * install.
   */
  public static String missing() {
    Path bin = bin();
    if (!Files.isExecutable(bin.resolve("postgres"))
        || !Files.isExecutable(bin.resolve("initdb"))) {
      return "PostgreSQL 15 server binaries not found in "
          + bin
          + " (apt-get install "
          + PACKAGES
          + ", or set ZGRES_TEST_PG15_BIN)";
    }
    Path plproxy = bin.getParent().resolve("lib").resolve("plproxy.so");
    if (!Files.exists(plproxy) && !Files.exists(PLPROXY_LIBRARY)) {
      return "PL/Proxy for PostgreSQL 15 not found (" + plproxy + "): apt-get install " + PACKAGES;
    }
    return null;
  }

  /** Initialises and starts a server; call {@link #missing()} first. */
  public static DebianPostgres15 start() throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("zgres-pg15-");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", SUPERUSER, directory.toString()), false);
    }
    DebianPostgres15 server = new DebianPostgres15(bin(), directory, FreePort.pick());
    try {
      server.pg(
          root,
          "initdb",
          "-D",
          server.data().toString(),
          "-U",
          SUPERUSER,
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-instructions");
      server.pg(
          root,
          "pg_ctl",
          "-D",
          server.data().toString(),
          "-l",
          directory.resolve("server.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-p "
              + server.port
              + " -c listen_addresses=127.0.0.1 -k "
              + directory
              + " -c max_connections=200 -c fsync=off",
          "start");
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String createDatabase(String name) throws SQLException {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A libpq connection string to a database of this server, as PL/Proxy's cluster needs it. */
  public String libpq(String database) {
    return "host=127.0.0.1 port=" + port + " dbname=" + database;
  }

  public String user() {
    return SUPERUSER;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        pg(root, "pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "30", "stop");
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop PostgreSQL 15 in " + directory + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + directory + ": " + e.getMessage());
    }
  }

  private Path data() {
    return directory.resolve("data");
  }

  private void pg(boolean root, String program, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (root) {
      command.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command, true);
  }

  private static void run(List<String> command, boolean quiet)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " exited with "
              + process.exitValue()
              + ": "
              + new String(output, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!quiet) {
      System.out.print(new String(output, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static Path bin() {
    String configured = System.getenv("ZGRES_TEST_PG15_BIN");
    return configured == null || configured.isBlank() ? DEFAULT_BIN : Path.of(configured);
  }
}
