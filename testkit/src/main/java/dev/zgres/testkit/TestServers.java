package dev.zgres.testkit;

import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
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
  private static PgEndpoint postgres;
  private static String kafka;

  private TestServers() {}

  /** The server's maintenance database; tests use {@link #freshDatabase()} instead. */
  public static synchronized PgEndpoint postgres() {
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
  public static PgEndpoint freshDatabase() {
    PgEndpoint db = emptyDatabase();
    SchemaMigrator.migrate(db);
    return db;
  }

  /** Creates an empty database, without the migrations. */
  public static PgEndpoint emptyDatabase() {
    PgEndpoint server = postgres();
    String name = "zgres_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return server.withDatabase(name);
  }

  /** A plain connection to {@code db} (autocommit), for test set-up and assertions. */
  public static Connection connect(PgEndpoint db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static PgEndpoint startPostgres() {
    String url = System.getenv("ZGRES_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      return new PgEndpoint(
          url, envOr("ZGRES_TEST_PG_USER", "postgres"), envOr("ZGRES_TEST_PG_PASSWORD", ""));
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container =
          new PostgreSQLContainer("postgres:17")
              .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "pg-container-stop"));
      return new PgEndpoint(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.launch();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-pg-stop"));
    return new PgEndpoint(server.jdbcUrl(), "postgres", "");
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
}
