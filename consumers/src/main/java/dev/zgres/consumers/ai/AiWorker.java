package dev.zgres.consumers.ai;

import dev.zgres.consumers.chat.ChatConnection;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.consume.ConsumerLoop;
import dev.zgres.consumers.consume.ConsumerMeters;
import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI worker process ({@code bin/zgres ai-worker}, consumer group {@code zgres-ai}): reads
 * {@code chat.messages}, analyses each user message, answers the assistant's queue, keeps summaries
 * and reply suggestions, and serves {@code /metrics} and {@code /health}. The embedding model is
 * passed in, loaded once per process; the sentiment head is trained here at start.
 */
public final class AiWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AiWorker.class);
  private final Closer closer;
  private final ConsumerLoop loop;
  private final MetricsServer server;
  private final AiWorkerConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AiWorker(Closer closer, ConsumerLoop loop, MetricsServer server, AiWorkerConfig config) {
    this.closer = closer;
    this.loop = loop;
    this.server = server;
    this.config = config;
  }

  /** Starts a worker; {@code modelLoadTime} is what loading {@code embedder} took. */
  public static AiWorker start(
      AiWorkerConfig config, TextEmbedder embedder, Duration modelLoadTime) {
    Closer closer = new Closer();
    try {
      ProcessMeters process = closer.register(new ProcessMeters());
      AiMeters meters = new AiMeters(process.registry());
      meters.registerWorkerSeries();
      meters.modelLoaded(modelLoadTime);
      SentimentScorer sentiment =
          SentimentScorer.train(embedder, LabelledSet.fromResource(SentimentScorer.DATA));
      meters.trained("sentiment", sentiment.classifier().trainingTime());
      ReplyGenerator responder = responder(config, embedder, meters);
      ConsumerMeters consumerMeters = new ConsumerMeters(process.registry(), config.loop().group());

      ChatConnection sweeperConnection = new ChatConnection(config.postgres(), "zgres-ai-sweeper");
      closer.register(
          new RequestSweeper(
                  sweeperConnection,
                  c -> desk(c, config, embedder, responder, meters),
                  sweepEvery(config.lease()),
                  e -> consumerMeters.loopError("ai-sweeper"))
              .start());
      ChatConnection loopConnection =
          closer.register(new ChatConnection(config.postgres(), "zgres-ai-worker"));
      AnalysisHandler handler =
          new AnalysisHandler(
              loopConnection,
              c ->
                  new MessageAnalyst(
                      embedder,
                      sentiment,
                      new ImportanceScorer(),
                      new AiStore(c),
                      desk(c, config, embedder, responder, meters),
                      new ConversationKeeper(
                          new AiStore(c),
                          new ExtractiveSummarizer(3),
                          new ReplySuggester(config.minSimilarity()),
                          config.summaryEvery(),
                          config.summaryMaxAge())),
              meters);
      ConsumerLoop loop =
          closer.register(
              new ConsumerLoop("ai-worker", config.loop(), handler, consumerMeters, Map.of()));
      MetricsServer server =
          closer.register(process.serve(config.metricsPort(), () -> health(loop, config)));
      loop.start();
      LOG.info(
          "AI worker {} started: model {} loaded in {} ms, replies by {}, /metrics on port {}",
          config.workerId(),
          embedder.modelName(),
          modelLoadTime.toMillis(),
          config.llm() == null ? "the offline responder" : config.llm(),
          server.port());
      return new AiWorker(closer, loop, server, config);
    } catch (RuntimeException e) {
      closer.close();
      throw e;
    }
  }

  private static Duration sweepEvery(Duration lease) {
    long half = Math.max(500, lease.toMillis() / 2);
    return Duration.ofMillis(Math.min(half, 10_000));
  }

  private static AssistantDesk desk(
      Connection c,
      AiWorkerConfig config,
      TextEmbedder embedder,
      ReplyGenerator responder,
      AiMeters meters) {
    return new AssistantDesk(
        new AiStore(c),
        embedder,
        responder,
        config.workerId(),
        config.lease(),
        config.requestAttempts(),
        meters);
  }

  private static ReplyGenerator responder(
      AiWorkerConfig config, TextEmbedder embedder, AiMeters meters) {
    OfflineResponder offline = new OfflineResponder(embedder, config.minSimilarity());
    if (config.llm() == null) {
      return offline;
    }
    AiWorkerConfig.Llm llm = config.llm();
    return new FallbackResponder(
        new LlmResponder(llm.url(), llm.model(), llm.apiKey(), llm.timeout()),
        offline,
        e -> {
          meters.llmFellBack();
          LOG.warn("LLM reply failed, answering offline: {}", e.getMessage());
        });
  }

  /** The port of {@code /metrics} and {@code /health}. */
  public int metricsPort() {
    return server.port();
  }

  /** The partitions of the chat topic this instance reads now (the group decides). */
  public java.util.Set<org.apache.kafka.common.TopicPartition> assignedPartitions() {
    return loop.assignedPartitions();
  }

  /** Up while the consumer loop polls. */
  public HealthReport health() {
    return health(loop, config);
  }

  private static HealthReport health(ConsumerLoop loop, AiWorkerConfig config) {
    HealthReport fromLoop = loop.health();
    Map<String, Object> details = new LinkedHashMap<>(fromLoop.details());
    details.put("worker_id", config.workerId());
    details.put("replies_by", config.llm() == null ? "offline" : "llm:" + config.llm().model());
    return new HealthReport(fromLoop.up(), details);
  }

  @Override
  public void close() {
    if (!closed.getAndSet(true)) {
      closer.close();
    }
  }
}
