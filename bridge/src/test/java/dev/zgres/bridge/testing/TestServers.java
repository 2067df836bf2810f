package dev.zgres.bridge.testing;

import dev.zgres.bridge.schema.SchemaMigrator;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real servers the integration tests run against, started once per test JVM:
 *
 * <ol>
 *   <li>external ones, when {@code ZGRES_TEST_PG_URL} (with {@code ZGRES_TEST_PG_USER}, {@code
 *       ZGRES_TEST_PG_PASSWORD}) or {@code ZGRES_TEST_KAFKA_BOOTSTRAP} point at them;
 *   <li>otherwise containers, where a Docker engine answers;
 *   <li>otherwise an embedded PostgreSQL and an in-process KRaft broker.
 * </ol>
 *
 * Each test class gets a database of its own, migrated with the real {@code sql/} files.
 */
public final class TestServers {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresEndpoint postgres;
  private static String kafka;

  private TestServers() {}

  /** The server's maintenance database; tests use {@link #freshDatabase()} instead. */
  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      postgres = startPostgres();
    }
    return postgres;
  }

  public static synchronized String kafkaBootstrap() {
    if (kafka == null) {
      kafka = startKafka();
    }
    return kafka;
  }

  /** Creates an empty database with the zgres migrations applied. */
  public static PostgresEndpoint freshDatabase() {
    PostgresEndpoint server = postgres();
    String name = "zgres_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    PostgresEndpoint db = server.withDatabase(name);
    SchemaMigrator.migrate(db.jdbcUrl(), db.user(), db.password());
    return db;
  }

  private static PostgresEndpoint startPostgres() {
    String url = System.getenv("ZGRES_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      return new PostgresEndpoint(
          url, envOr("ZGRES_TEST_PG_USER", "postgres"), envOr("ZGRES_TEST_PG_PASSWORD", ""));
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container =
          new PostgreSQLContainer("postgres:17")
              .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "pg-container-stop"));
      return new PostgresEndpoint(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.launch();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-pg-stop"));
    return new PostgresEndpoint(server.jdbcUrl(), "postgres", "");
  }

  private static String startKafka() {
    String bootstrap = System.getenv("ZGRES_TEST_KAFKA_BOOTSTRAP");
    if (bootstrap != null && !bootstrap.isBlank()) {
      return bootstrap;
    }
    if (dockerAvailable()) {
      KafkaContainer container = new KafkaContainer("apache/kafka:4.1.0");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
      return container.getBootstrapServers();
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.launch();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
    return broker.bootstrapServers();
  }

  private static boolean dockerAvailable() {
    if ("false".equalsIgnoreCase(System.getenv("ZGRES_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }

  /** Where a test database is, and how to log in. */
  public record PostgresEndpoint(String jdbcUrl, String user, String password) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, password);
    }

    PostgresEndpoint withDatabase(String database) {
      int slash = jdbcUrl.lastIndexOf('/');
      int query = jdbcUrl.indexOf('?', slash);
      String suffix = query < 0 ? "" : jdbcUrl.substring(query);
      return new PostgresEndpoint(
          jdbcUrl.substring(0, slash + 1) + database + suffix, user, password);
    }
  }
}
