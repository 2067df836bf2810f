package dev.zgres.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka cluster (combined broker and controller) inside this JVM, listening on
 * loopback. It keeps its log directory and ports across {@link #stop()} and {@link #start()}, so a
 * test can restart the broker and find its topics again.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final int NODE_ID = 1;

  private final Path logDir;
  private final boolean ownsLogDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private final SaslSsl saslSsl;
  private final int securePort;
  private final AtomicBoolean closed = new AtomicBoolean();
  private KafkaRaftServer server;

  /**
   * A second listener, {@code SASL_SSL} with {@code SCRAM-SHA-256}, beside the plaintext one (which
   * the broker itself and the set-up use).
   *
   * @param keystore the server's PKCS12 key store (key and certificate chain)
   * @param keystorePassword its password, also the key's
   * @param user the SCRAM user created at start
   * @param password that user's password
   */
  public record SaslSsl(Path keystore, String keystorePassword, String user, String password) {
    @Override
    public String toString() {
      return "SaslSsl[" + keystore + ", user " + user + "]";
    }
  }

  private EmbeddedKafkaBroker(
      Path logDir, boolean ownsLogDir, Map<String, String> overrides, SaslSsl saslSsl) {
    this.logDir = logDir;
    this.ownsLogDir = ownsLogDir;
    this.port = FreePort.pick();
    this.controllerPort = FreePort.pick();
    this.overrides = Map.copyOf(overrides);
    this.saslSsl = saslSsl;
    this.securePort = saslSsl == null ? -1 : FreePort.pick();
  }

  /** Formats a fresh log directory in a temporary folder and starts the broker. */
  public static EmbeddedKafkaBroker launch(Map<String, String> overrides) {
    return launch(overrides, null);
  }

  /**
   * Like {@link #launch(Map)}, with a {@code SASL_SSL} listener as well ({@link
   * #secureBootstrapServers}) when {@code saslSsl} is not null; its SCRAM user is created before
   * this returns.
   */
  public static EmbeddedKafkaBroker launch(Map<String, String> overrides, SaslSsl saslSsl) {
    try {
      Path dir = Files.createTempDirectory("zgres-kafka-");
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, true, overrides, saslSsl);
      broker.format();
      broker.start();
      if (saslSsl != null) {
        broker.createScramUser();
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Kafka log directory", e);
    }
  }

  public static EmbeddedKafkaBroker launch() {
    return launch(Map.of());
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The {@code SASL_SSL} listener's address; only for a broker launched with {@link SaslSsl}. */
  public String secureBootstrapServers() {
    if (saslSsl == null) {
      throw new IllegalStateException("this broker has no SASL_SSL listener");
    }
    return "127.0.0.1:" + securePort;
  }

  private void createScramUser() {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      saslSsl.user(),
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                      saslSsl.password())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the SCRAM user " + saslSsl.user(), e);
    }
  }

  /** Starts the broker again after {@link #stop()}, on the same ports and log directory. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    KafkaRaftServer raft = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
    raft.startup();
    server = raft;
    awaitReady(Duration.ofSeconds(60));
  }

  /** Stops the broker, keeping its data; {@link #start()} brings it back. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    stop();
    if (ownsLogDir) {
      deleteRecursively(logDir);
    }
  }

  private void format() {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir, e);
    }
  }

  private Properties properties() {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (saslSsl != null) {
      String secure = "SASL_SSL://127.0.0.1:" + securePort;
      props.put("listeners", props.get("listeners") + "," + secure);
      props.put("advertised.listeners", props.get("advertised.listeners") + "," + secure);
      props.put(
          "listener.security.protocol.map",
          props.get("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
      props.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
      props.put(
          "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
      props.put("listener.name.sasl_ssl.ssl.keystore.location", saslSsl.keystore().toString());
      props.put("listener.name.sasl_ssl.ssl.keystore.password", saslSsl.keystorePassword());
      props.put("listener.name.sasl_ssl.ssl.key.password", saslSsl.keystorePassword());
    }
    props.put("log.dirs", logDir.toString());
    props.put("metadata.log.dir", logDir.toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    props.putAll(overrides);
    return props;
  }

  private void awaitReady(Duration timeout) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(config)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka broker on " + bootstrapServers() + " did not become ready", e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Kafka broker on " + bootstrapServers() + " has no live node");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
