package dev.zgres.cli;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.SourceKind;
import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.moderation.Moderator;
import dev.zgres.consumers.moderation.ModeratorConfig;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.embedded.EmbeddedPostgresServer;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.PgEndpoint;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on an embedded PostgreSQL and Kafka, printing every record.",
      "Starts both servers, applies the migrations, runs the bridge, writes to a table under the",
      "generic trigger, seeds a small chat that keeps talking, and prints each Kafka record as it",
      "arrives; the WebSocket gateway serves the chat to clients. Ctrl-C stops everything."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--metrics-port",
      description = "port of the bridge's /metrics and /health (default: ${DEFAULT-VALUE})")
  int metricsPort = 9464;

  @Option(
      names = "--source",
      description =
          "notify (LISTEN/NOTIFY) or wal (logical replication slot: nothing lost across restarts)"
              + " (default: ${DEFAULT-VALUE})")
  String source = "notify";

  @Option(
      names = "--gateway-port",
      description =
          "port of the WebSocket gateway and its HTTP API (0: any free port; default: ${DEFAULT-VALUE})")
  int gatewayPort = 8080;

  @Option(
      names = "--quiet",
      description = "do not print the Kafka records (the page and the workers still run)")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Closer parts = new Closer();
    UntilSignalled stop = UntilSignalled.guard(parts);
    try {
      System.out.println("-- starting embedded PostgreSQL and Kafka");
      EmbeddedPostgresServer postgres = EmbeddedPostgresServer.launch();
      parts.register(postgres);
      EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.launch();
      parts.register(kafka);
      SchemaMigrator.migrate(new PgEndpoint(postgres.jdbcUrl(), "postgres", ""));
      BridgeConfig config =
          BridgeConfig.from(
              Map.of(
                  "ZGRES_PG_URL", postgres.jdbcUrl(),
                  "ZGRES_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                  "ZGRES_METRICS_PORT", String.valueOf(metricsPort),
                  "ZGRES_SOURCE", source));
      if (config.source() == SourceKind.WAL) {
        // Before any writer connects: the setting applies to sessions that start after it.
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
            Statement s = c.createStatement()) {
          s.execute("ALTER DATABASE postgres SET zgres.transport = 'wal'");
        }
      }
      Bridge bridge = Bridge.start(config);
      parts.register(bridge);
      System.out.printf(
          "-- PostgreSQL %s, Kafka %s, %s source, metrics http://localhost:%d/metrics%n",
          postgres.jdbcUrl(),
          kafka.bootstrapServers(),
          config.source().label(),
          bridge.metricsPort());
      // Records first (the gateway serves the page a moment later; it loads history over HTTP).
      if (!quiet) {
        parts.register(new RecordPrinter(kafka.bootstrapServers(), System.out, started));
      }
      parts.register(new DemoWriter(postgres.jdbcUrl(), "postgres", ""));
      parts.register(new ChatDemoWriter(postgres.jdbcUrl(), "postgres", ""));
      // The demo makes up the token key for this run; it is never printed.
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Gateway gateway =
          parts.register(
              Gateway.start(
                  new GatewayConfig(
                      gatewayPort,
                      secret,
                      new PgEndpoint(postgres.jdbcUrl(), "postgres", ""),
                      kafka.bootstrapServers(),
                      GatewayConfig.Tuning.defaults())));
      System.out.printf(
          "-- chat page: open http://localhost:%d/ and log in as %s; answering %.1f s after start"
              + " (WebSocket /ws, HTTP API /api/)%n",
          gateway.port(),
          ChatDemoWriter.VISITORS.stream()
              .map(name -> name + " / " + ChatDemoWriter.password(name))
              .collect(java.util.stream.Collectors.joining(" or ")),
          (System.nanoTime() - started) / 1e9);
      System.out.println(
          "-- writing to public.inputs every second and chatting (alice, bob, carol in #general"
              + " and private #team) every two; Ctrl-C to stop");
      // Last, so that loading the model does not delay the first records; the workers read the
      // chat topic from its start.
      startWorkers(parts, postgres.jdbcUrl(), kafka.bootstrapServers());
    } catch (Exception e) {
      parts.close();
      throw e;
    }
    return stop.await();
  }

  /** The AI worker and the moderator, in this process, sharing one embedding model. */
  private void startWorkers(Closer parts, String jdbcUrl, String bootstrap) {
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    Map<String, String> settings =
        Map.of(
            "ZGRES_PG_URL",
            jdbcUrl,
            "ZGRES_KAFKA_BOOTSTRAP",
            bootstrap,
            "ZGRES_SUMMARY_EVERY",
            "6",
            "ZGRES_METRICS_PORT",
            "0");
    AiWorker ai =
        parts.register(
            AiWorker.start(AiWorkerConfig.from(settings), embedder, embedder.loadTime()));
    Moderator moderator =
        parts.register(
            Moderator.start(ModeratorConfig.from(settings), embedder, embedder.loadTime()));
    System.out.printf(
        "-- AI worker (metrics http://localhost:%d/metrics) and moderator (http://localhost:%d/metrics),"
            + " model %s loaded in %d ms%n",
        ai.metricsPort(),
        moderator.metricsPort(),
        embedder.modelName(),
        embedder.loadTime().toMillis());
  }
}
