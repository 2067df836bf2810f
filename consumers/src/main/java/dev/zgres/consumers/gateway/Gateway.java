package dev.zgres.consumers.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.fanout.FanOut;
import dev.zgres.consumers.gateway.fanout.FeedEvents;
import dev.zgres.consumers.gateway.fanout.Subscriber;
import dev.zgres.consumers.gateway.feed.FeedReader;
import dev.zgres.consumers.gateway.feed.KafkaReplayer;
import dev.zgres.consumers.gateway.feed.RecordFrames;
import dev.zgres.consumers.gateway.http.ApiHandler;
import dev.zgres.consumers.gateway.http.OperationsHandler;
import dev.zgres.consumers.gateway.http.PageHandler;
import dev.zgres.consumers.gateway.limit.LoginThrottle;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.presence.PresenceKeeper;
import dev.zgres.consumers.gateway.protocol.CloseCodes;
import dev.zgres.consumers.gateway.protocol.FrameParser;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.ResumeDecision;
import dev.zgres.consumers.gateway.socket.ClientSocket;
import dev.zgres.consumers.gateway.socket.SocketRegistry;
import dev.zgres.consumers.gateway.socket.SocketServices;
import dev.zgres.consumers.gateway.store.ChatStore;
import dev.zgres.consumers.gateway.token.TokenSigner;
import dev.zgres.consumers.search.SearchOnDemand;
import dev.zgres.consumers.search.SemanticSearch;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process: the Kafka feed, the fan-out, WebSocket clients at {@code /ws}, the HTTP API
 * at {@code /api/}, {@code /metrics}, {@code /health} and the chat page at {@code /}, all on one
 * port. Start with {@link #start}; {@link #close} closes every socket with 4000 and stops in
 * reverse order.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private final Closer started = new Closer();
  private final AtomicBoolean closed = new AtomicBoolean();
  private SocketRegistry sockets;
  private Server server;
  private int port;
  private PrometheusMeterRegistry registry;
  private MetricsServer metricsServer;

  private Gateway() {}

  public static Gateway start(GatewayConfig config) throws Exception {
    Gateway g = new Gateway();
    try {
      g.open(config);
      return g;
    } catch (Exception | Error e) {
      g.close();
      throw e;
    }
  }

  private void open(GatewayConfig config) throws Exception {
    GatewayConfig.Tuning tuning = config.tuning();
    ObjectMapper json = new ObjectMapper();
    ServerFrames frames = new ServerFrames(json.getFactory());
    ProcessMeters process = started.register(new ProcessMeters());
    registry = process.registry();
    ChatStore store = new ChatStore(config.db(), tuning.dbPoolSize(), json);
    started.register(store);
    sockets = new SocketRegistry();
    FeedReader feed = FeedReader.open(config.kafkaBootstrap(), config.kafkaProperties(), json);
    started.register(feed);
    FanOut[] fanOutRef = new FanOut[1];
    GatewayMeters meters =
        new GatewayMeters(
            registry,
            sockets::size,
            () -> presenceUsers(),
            () -> fanOutRef[0] == null ? 0 : fanOutRef[0].subscriptions());
    FanOut fanOut =
        new FanOut(
            feed.layout().epoch(),
            feed.layout().startPositions(),
            frames,
            feedEvents(frames),
            tuning.windowRecords(),
            tuning.maxReplay(),
            10_000);
    fanOutRef[0] = fanOut;
    RecordFrames recordFrames = new RecordFrames(json, frames);
    KafkaReplayer replayer =
        new KafkaReplayer(
            config.kafkaBootstrap(),
            config.kafkaProperties(),
            fanOut,
            recordFrames,
            frames,
            meters,
            2);
    started.register(replayer);
    presence =
        started.register(
            new PresenceKeeper("gw-" + UUID.randomUUID(), store, tuning.presenceTtl(), meters));
    TokenSigner tokens =
        new TokenSigner(config.secret(), tuning.tokenLifetime(), Clock.systemUTC());
    SocketServices services =
        new SocketServices(
            new FrameParser(json),
            frames,
            tokens,
            store,
            fanOut,
            replayer,
            meters,
            presence,
            sockets,
            tuning);
    feed.start(fanOut, recordFrames, frames, sockets, meters);

    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zgres-gateway-timers");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(
        () -> {
          try {
            sockets.tick(System.nanoTime());
          } catch (RuntimeException e) {
            LOG.warn("socket timers failed; carrying on", e);
            meters.loopError("timers");
          }
        },
        250,
        250,
        TimeUnit.MILLISECONDS);
    started.register(
        () -> {
          ticker.shutdownNow();
          ticker.awaitTermination(5, TimeUnit.SECONDS);
        });

    LoginThrottle logins =
        new LoginThrottle(
            tuning.loginsPerUserPerMinute(), tuning.loginsPerAddressPerMinute(), System::nanoTime);
    server =
        httpServer(
            config,
            tuning,
            services,
            store,
            tokens,
            logins,
            meters,
            json,
            feed,
            new SearchOnDemand());
    server.start();
    started.register(server::stop);
    if (config.metricsPort() >= 0) {
      metricsServer =
          started.register(
              process.serve(
                  config.metricsPort(),
                  () -> {
                    boolean feedUp = feed.healthy(Duration.ofSeconds(30));
                    boolean dbUp = store.reachable();
                    return new HealthReport(
                        feedUp && dbUp,
                        Map.of(
                            "kafka_feed", feedUp,
                            "database", dbUp,
                            "connections", sockets.size()));
                  }));
    }
    port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    LOG.info("gateway listening on port {} (epoch {})", port, fanOut.epoch());
  }

  private PresenceKeeper presence;

  private int presenceUsers() {
    return presence == null ? 0 : presence.local().userCount();
  }

  private static FeedEvents feedEvents(ServerFrames frames) {
    return new FeedEvents() {
      @Override
      public void revoked(Subscriber subscriber, int channelId) {
        subscriber.deliver(frames.unsubscribed(null, channelId, "membership_revoked"));
      }

      @Override
      public void replayOverflowed(Subscriber subscriber, int channelId) {
        subscriber.deliver(frames.refetch(null, channelId, ResumeDecision.TOO_FAR_BEHIND));
      }
    };
  }

  private static Server httpServer(
      GatewayConfig config,
      GatewayConfig.Tuning tuning,
      SocketServices services,
      ChatStore store,
      TokenSigner tokens,
      LoginThrottle logins,
      GatewayMeters meters,
      ObjectMapper json,
      FeedReader feed,
      Supplier<SemanticSearch> search) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("zgres-gateway-http");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(config.port());
    server.addConnector(connector);
    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler ws =
        WebSocketUpgradeHandler.from(
            server,
            context,
            container -> {
              // Frames between 64 KB and 1 MB get an error frame and close 4502 from the parser;
              // larger ones are cut off by Jetty (close 1009).
              container.setMaxTextMessageSize(1 << 20);
              container.setMaxBinaryMessageSize(1024);
              container.setIdleTimeout(tuning.pingInterval().multipliedBy(3));
              container.addMapping(
                  "/ws",
                  (request, response, callback) -> {
                    String query = request.getHttpURI().getQuery();
                    if (query != null
                        && query.toLowerCase(java.util.Locale.ROOT).contains("token")) {
                      Response.writeError(
                          request,
                          response,
                          callback,
                          400,
                          "send the token in the auth frame, never in the URL");
                      return null;
                    }
                    return new ClientSocket(services);
                  });
            });
    ws.setHandler(
        new Handler.Sequence(
            new ApiHandler(store, tokens, logins, meters, json, search),
            new OperationsHandler(
                (PrometheusMeterRegistry) meters.registry(),
                () -> feed.healthy(Duration.ofSeconds(30)),
                store::reachable),
            new PageHandler()));
    context.setHandler(ws);
    server.setHandler(context);
    server.setStopTimeout(5000);
    return server;
  }

  /** The port the gateway listens on (the chosen one when configured with 0). */
  public int port() {
    return port;
  }

  /** The port of the separate {@code /metrics} and {@code /health} server, or -1 when none. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Closes every socket with 4000 (going away), then stops everything in reverse start order. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sockets != null) {
      sockets.closeAll(CloseCodes.GOING_AWAY, "server going away");
    }
    started.close();
  }
}
