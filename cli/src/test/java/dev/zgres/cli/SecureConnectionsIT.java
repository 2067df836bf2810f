package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.consume.ConsumerLoop;
import dev.zgres.consumers.consume.ConsumerMeters;
import dev.zgres.consumers.consume.LoopConfig;
import dev.zgres.consumers.consume.Outcome;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.kafka.KafkaProperties;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.SettingValues;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.ChildJvm;
import dev.zgres.testkit.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL over TLS ({@code sslmode=verify-full}, {@code scram-sha-256}) and Kafka over {@code
 * SASL_SSL} with SCRAM, for the bridge (the launcher, in a process of its own, in wal mode: both
 * the ordinary and the replication connection) and for the consumer loop, with secrets given as
 * files; then every secret is looked for in everything the bridge printed, in {@code /health},
 * {@code /metrics}, {@code --help} and a validation error.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecureConnectionsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String PG_PASSWORD = "pg-Secret-" + UUID.randomUUID();
  private static final String KAFKA_PASSWORD = "kafka-Secret-" + UUID.randomUUID();
  private static final String CHANNEL = "secure_it";

  @Test
  void bridgeAndConsumerLoopUseTlsAndScramWithSecretsFromFilesAndNeverPrintThem() throws Exception {
    TestCertificates certs = TestCertificates.generate();
    List<String> secrets = List.of(PG_PASSWORD, KAFKA_PASSWORD, certs.storePassword());
    try (EmbeddedPostgresServer pg =
            EmbeddedPostgresServer.launch(
                false,
                Map.of(
                    "ssl",
                    "on",
                    "ssl_cert_file",
                    certs.serverCertPem().toString(),
                    "ssl_key_file",
                    certs.serverKeyPem().toString(),
                    "password_encryption",
                    "scram-sha-256"));
        EmbeddedKafkaBroker kafka =
            EmbeddedKafkaBroker.launch(
                Map.of(),
                new EmbeddedKafkaBroker.SaslSsl(
                    certs.serverKeystore(), certs.storePassword(), "zgres", KAFKA_PASSWORD))) {
      PgEndpoint db = secureDatabase(pg, certs);
      SchemaMigrator.migrate(db);
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                      "jdbc:postgresql://localhost:" + pg.port() + "/secure?sslmode=disable",
                      "zgres_app",
                      PG_PASSWORD))
          .as("a connection without TLS is refused")
          .hasMessageContaining("pg_hba.conf");

      Path dir = Files.createTempDirectory("zgres-secrets-");
      Path pgPasswordFile = Files.writeString(dir.resolve("pg-password"), PG_PASSWORD + "\n");
      String clientProperties = kafkaClientProperties(certs);
      Path producerFile = Files.writeString(dir.resolve("producer.properties"), clientProperties);
      Path consumerFile = Files.writeString(dir.resolve("consumer.properties"), clientProperties);
      Path log = dir.resolve("bridge.log");
      // The launcher's own logging configuration (not the tests'), at DEBUG.
      String logback = ZgresMain.class.getResource("/logback.xml").toString();
      Map<String, String> env =
          Map.of(
              "JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=" + logback,
              "ZGRES_PG_URL", db.jdbcUrl(),
              "ZGRES_PG_USER", db.user(),
              "ZGRES_PG_PASSWORD_FILE", pgPasswordFile.toString(),
              "ZGRES_KAFKA_BOOTSTRAP", kafka.secureBootstrapServers(),
              "ZGRES_PRODUCER_PROPERTIES_FILE", producerFile.toString(),
              "ZGRES_SOURCE", "wal",
              "ZGRES_LOG_LEVEL", "DEBUG");
      Queue<String> consumed = new ConcurrentLinkedQueue<>();
      try (ChildJvm bridge = ChildJvm.start(SecureBridgeMain.class, env, log)) {
        bridge.awaitRole("active", WAIT);
        try (Connection c = connect(db);
            Statement s = c.createStatement()) {
          s.execute("SET zgres.transport = 'wal'");
          for (int i = 0; i < 3; i++) {
            s.execute("SELECT zgres.emit('" + CHANNEL + "', '{\"n\":" + i + "}')");
          }
        }
        LoopConfig loop =
            LoopConfig.from(
                new SettingValues(
                    Map.of(
                        "ZGRES_KAFKA_BOOTSTRAP", kafka.secureBootstrapServers(),
                        "ZGRES_CONSUMER_PROPERTIES_FILE", consumerFile.toString())),
                "secure-it",
                List.of(CHANNEL));
        try (ConsumerLoop consumer =
            new ConsumerLoop(
                    "secure-it",
                    loop,
                    record -> {
                      consumed.add(new String(record.value(), StandardCharsets.UTF_8));
                      return Outcome.DONE;
                    },
                    new ConsumerMeters(new SimpleMeterRegistry(), "secure-it"),
                    KafkaProperties.parse(clientProperties, List.of()))
                .start()) {
          Await.until("the consumer loop to read 3 events", WAIT, () -> consumed.size() >= 3);
        }
        assertThat(consumed).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(tlsSessionsOfTheBridge(db))
            .as("the bridge's replication session over TLS")
            .isGreaterThanOrEqualTo(1);

        String health = Bridges.get(bridge.metricsPort(), "/health").body();
        String metrics = Bridges.get(bridge.metricsPort(), "/metrics").body();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("bridge up: wal source");
        for (String secret : secrets) {
          assertThat(output).as("the bridge's output").doesNotContain(secret);
          assertThat(health).as("/health").doesNotContain(secret);
          assertThat(metrics).as("/metrics").doesNotContain(secret);
        }
        System.out.printf(
            "secure run: %d consumed over SASL_SSL, %d bridge sessions over TLS, %d lines of DEBUG"
                + " output scanned for %d secrets%n",
            consumed.size(), tlsSessionsOfTheBridge(db), output.lines().count(), secrets.size());
      }
    }
  }

  @Test
  void helpAndValidationErrorsNeverShowASecret() {
    StringWriter help = new StringWriter();
    var cli = ZgresMain.commandLine();
    cli.setOut(new PrintWriter(help, true));
    cli.execute("bridge", "--help", "--pg-password", PG_PASSWORD);
    assertThat(help.toString()).contains("--pg-password-file").doesNotContain(PG_PASSWORD);

    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"zgres\""
            + " password=\""
            + KAFKA_PASSWORD
            + "\";";
    assertThatThrownBy(
            () ->
                BridgeConfig.from(
                    Map.of(
                        "ZGRES_PRODUCER_PROPERTIES", "acks=0,sasl.jaas.config=" + jaas,
                        "ZGRES_PG_PASSWORD", PG_PASSWORD,
                        "ZGRES_PG_PASSWORD_FILE", "/nonexistent/" + UUID.randomUUID())))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("ZGRES_PRODUCER_PROPERTIES must not set acks")
                    .contains("ZGRES_PG_PASSWORD and ZGRES_PG_PASSWORD_FILE are both set")
                    .doesNotContain(KAFKA_PASSWORD)
                    .doesNotContain(PG_PASSWORD));
  }

  private static PgEndpoint secureDatabase(EmbeddedPostgresServer pg, TestCertificates certs)
      throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE zgres_app LOGIN SUPERUSER REPLICATION PASSWORD '" + PG_PASSWORD + "'");
      s.execute("CREATE DATABASE secure OWNER zgres_app");
      Files.writeString(
          pg.dataDirectory().resolve("pg_hba.conf"),
          String.join(
              "\n",
              "local all all trust",
              "hostssl all zgres_app 127.0.0.1/32 scram-sha-256",
              "hostssl all zgres_app ::1/128 scram-sha-256",
              "host all zgres_app all reject",
              "host all postgres 127.0.0.1/32 trust",
              "host all postgres ::1/128 trust",
              ""));
      s.execute("SELECT pg_reload_conf()");
    }
    return new PgEndpoint(
        "jdbc:postgresql://localhost:"
            + pg.port()
            + "/secure?sslmode=verify-full&sslrootcert="
            + certs.caPem(),
        "zgres_app",
        PG_PASSWORD);
  }

  private static String kafkaClientProperties(TestCertificates certs) {
    return String.join(
        "\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-256",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"zgres\" password=\""
            + KAFKA_PASSWORD
            + "\";",
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.location=" + certs.truststore(),
        "ssl.truststore.password=" + certs.storePassword(),
        "");
  }

  private static Connection connect(PgEndpoint db) throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static int tlsSessionsOfTheBridge(PgEndpoint db) throws Exception {
    try (Connection c = connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)"
                    + " WHERE application_name = 'zgres-bridge-wal' AND ssl")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
