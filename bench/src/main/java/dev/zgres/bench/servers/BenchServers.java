package dev.zgres.bench.servers;

import dev.zgres.bench.child.BrokerProcess;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The PostgreSQL server and Kafka broker a run measures against: the ones given on the command
 * line, or embedded ones started here. The embedded PostgreSQL is durable (fsync and synchronous
 * commit on), as a production server would be. The embedded broker runs in a JVM of its own ({@link
 * BrokerProcess}): inside the benchmark's JVM its threads, allocation and collections would share
 * the process whose clock takes every latency (writers and receivers).
 */
public final class BenchServers implements AutoCloseable {
  private final String pgUrl;
  private final String pgUser;
  private final String pgPassword;
  private final String kafkaBootstrap;
  private final String description;
  private final EmbeddedPostgresServer embeddedPostgres;
  private final BrokerProcess embeddedKafka;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BenchServers(
      String pgUrl,
      String pgUser,
      String pgPassword,
      String kafkaBootstrap,
      String description,
      EmbeddedPostgresServer embeddedPostgres,
      BrokerProcess embeddedKafka) {
    this.pgUrl = pgUrl;
    this.pgUser = pgUser;
    this.pgPassword = pgPassword;
    this.kafkaBootstrap = kafkaBootstrap;
    this.description = description;
    this.embeddedPostgres = embeddedPostgres;
    this.embeddedKafka = embeddedKafka;
  }

  /**
   * Uses the given servers where a URL is given (null: start an embedded one), then applies the
   * zgres migrations.
   *
   * @param logDir where an embedded broker's log goes
   */
  public static BenchServers open(
      String pgUrl, String pgUser, String pgPassword, String kafkaBootstrap, Path logDir) {
    EmbeddedPostgresServer postgres = null;
    BrokerProcess kafka = null;
    try {
      String url = pgUrl;
      String user = pgUser;
      String password = pgPassword;
      if (url == null) {
        postgres = EmbeddedPostgresServer.launch(true, Map.of("shared_buffers", "128MB"));
        url = postgres.jdbcUrl();
        user = "postgres";
        password = "";
      }
      String bootstrap = kafkaBootstrap;
      if (bootstrap == null) {
        kafka = startBroker(logDir);
        bootstrap = kafka.bootstrapServers();
      }
      SchemaMigrator.migrate(new PgEndpoint(url, user, password));
      String what =
          (postgres != null ? "embedded PostgreSQL (fsync on)" : "PostgreSQL " + url)
              + ", "
              + (kafka != null
                  ? "embedded Kafka broker (own JVM, pid " + kafka.pid() + ")"
                  : "Kafka " + bootstrap);
      return new BenchServers(url, user, password, bootstrap, what, postgres, kafka);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        postgres.close();
      }
      throw e;
    }
  }

  private static BrokerProcess startBroker(Path logDir) {
    try {
      return BrokerProcess.start(
          List.of("-Xmx512m", "-XX:+UseSerialGC"),
          logDir.resolve("kafka-broker.log"),
          Duration.ofSeconds(120));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Kafka broker", e);
    }
  }

  /** The embedded broker's process id, or -1 when the broker was given. */
  public long brokerPid() {
    return embeddedKafka == null ? -1 : embeddedKafka.pid();
  }

  public String pgUrl() {
    return pgUrl;
  }

  public String pgUser() {
    return pgUser;
  }

  public String pgPassword() {
    return pgPassword;
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  /** One line saying which servers these are, for the report. */
  public String description() {
    return description;
  }

  /** A new connection with the given extra connection properties. */
  public Connection connect(String applicationName, Map<String, String> extra) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", pgUser);
    props.setProperty("password", pgPassword);
    props.setProperty("ApplicationName", applicationName);
    extra.forEach(props::setProperty);
    return DriverManager.getConnection(pgUrl, props);
  }

  public Connection connect(String applicationName) throws SQLException {
    return connect(applicationName, Map.of());
  }

  /**
   * Creates the topic with this many partitions unless it exists, so no phase waits for
   * auto-creation.
   */
  public void ensureTopic(String topic, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create Kafka topic " + topic, e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic " + topic + " within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (embeddedKafka != null) {
      embeddedKafka.close();
    }
    if (embeddedPostgres != null) {
      embeddedPostgres.close();
    }
  }
}
