package dev.zgres.consumers.moderation;

import dev.zgres.consumers.ai.AiMeters;
import dev.zgres.consumers.chat.ChatConnection;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.consume.ConsumerLoop;
import dev.zgres.consumers.consume.ConsumerMeters;
import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderator process ({@code bin/zgres moderator}, consumer group {@code zgres-moderation}):
 * reads {@code chat.messages}, judges each user message and flags the unsafe ones; serves {@code
 * /metrics} and {@code /health}. The embedding model is passed in, loaded once per process.
 */
public final class Moderator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Moderator.class);
  private final Closer closer;
  private final ConsumerLoop loop;
  private final MetricsServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Moderator(Closer closer, ConsumerLoop loop, MetricsServer server) {
    this.closer = closer;
    this.loop = loop;
    this.server = server;
  }

  public static Moderator start(
      ModeratorConfig config, TextEmbedder embedder, Duration modelLoadTime) {
    Closer closer = new Closer();
    try {
      ProcessMeters process = closer.register(new ProcessMeters());
      AiMeters meters = new AiMeters(process.registry());
      meters.registerModeratorSeries();
      meters.modelLoaded(modelLoadTime);
      ContentModerator moderator =
          ContentModerator.train(embedder, LabelledSet.fromResource(ContentModerator.DATA));
      meters.trained("moderation", moderator.classifier().trainingTime());
      ChatConnection connection =
          closer.register(new ChatConnection(config.postgres(), "zgres-moderator"));
      ConsumerLoop loop =
          closer.register(
              new ConsumerLoop(
                  "moderator",
                  config.loop(),
                  new ModerationHandler(connection, embedder, moderator, meters),
                  new ConsumerMeters(process.registry(), config.loop().group()),
                  Map.of()));
      MetricsServer server = closer.register(process.serve(config.metricsPort(), loop::health));
      loop.start();
      LOG.info(
          "moderator started: model {} loaded in {} ms, /metrics on port {}",
          embedder.modelName(),
          modelLoadTime.toMillis(),
          server.port());
      return new Moderator(closer, loop, server);
    } catch (RuntimeException e) {
      closer.close();
      throw e;
    }
  }

  public int metricsPort() {
    return server.port();
  }

  public HealthReport health() {
    return loop.health();
  }

  @Override
  public void close() {
    if (!closed.getAndSet(true)) {
      closer.close();
    }
  }
}
