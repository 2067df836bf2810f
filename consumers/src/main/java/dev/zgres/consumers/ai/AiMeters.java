package dev.zgres.consumers.ai;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter of the AI worker and the moderator, named and described in one place; the registry is
 * passed in. Prometheus names add {@code _total} to counters and {@code _seconds} to timers.
 */
public final class AiMeters {
  /** Time to load the embedding model and embed a warm-up sentence, once per process. */
  public static final String MODEL_LOAD = "zgres.ai.model.load";

  /** Time to train the classifier heads at start-up. */
  public static final String TRAINING = "zgres.ai.training";

  /** Messages analysed by the AI worker. */
  public static final String ANALYSED = "zgres.ai.messages.analysed";

  /** Assistant replies posted, by generator (offline or llm). */
  public static final String REPLIES = "zgres.ai.replies";

  /** Replies the configured LLM failed to write, answered by the offline responder instead. */
  public static final String LLM_FALLBACKS = "zgres.ai.llm.fallbacks";

  /** Requests given back to the queue after a failure. */
  public static final String REQUEST_FAILURES = "zgres.ai.request.failures";

  /** Conversation summaries saved. */
  public static final String SUMMARIES = "zgres.ai.summaries";

  /** Messages judged by the moderator, by level (safe, warning, unsafe). */
  public static final String VERDICTS = "zgres.moderation.verdicts";

  private static final String VERDICTS_DESCRIPTION = "messages judged by the moderator, by level";

  private final MeterRegistry registry;
  private final AtomicLong modelLoadMillis = new AtomicLong();

  public AiMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(MODEL_LOAD + ".seconds", modelLoadMillis, v -> v.get() / 1000.0)
        .description("time to load the embedding model, once per process")
        .register(registry);
  }

  /** The AI worker's labelled counters, at 0 from the start so that dashboards show them. */
  public void registerWorkerSeries() {
    for (String generator : List.of("offline", "llm")) {
      replied(generator, 0);
    }
  }

  /** The moderator's verdict counters, at 0 from the start so that dashboards show them. */
  public void registerModeratorSeries() {
    for (String level : List.of("safe", "warning", "unsafe")) {
      Counter.builder(VERDICTS)
          .description(VERDICTS_DESCRIPTION)
          .tag("level", level)
          .register(registry);
    }
  }

  public void modelLoaded(Duration took) {
    modelLoadMillis.set(took.toMillis());
  }

  public void trained(String head, Duration took) {
    Timer.builder(TRAINING)
        .description("training a classifier head at start-up")
        .tag("head", head)
        .register(registry)
        .record(took);
  }

  public void analysed() {
    Counter.builder(ANALYSED).description("messages analysed").register(registry).increment();
  }

  public void replied(String generator, int n) {
    Counter.builder(REPLIES)
        .description("assistant replies posted")
        .tag("generator", generator.startsWith("llm:") ? "llm" : generator)
        .register(registry)
        .increment(n);
  }

  public void llmFellBack() {
    Counter.builder(LLM_FALLBACKS)
        .description("LLM failures answered offline instead")
        .register(registry)
        .increment();
  }

  public void requestFailed(int n) {
    Counter.builder(REQUEST_FAILURES)
        .description("AI requests given back after a failure")
        .register(registry)
        .increment(n);
  }

  public void summarised() {
    Counter.builder(SUMMARIES)
        .description("conversation summaries saved")
        .register(registry)
        .increment();
  }

  public void verdict(String level) {
    Counter.builder(VERDICTS)
        .description(VERDICTS_DESCRIPTION)
        .tag("level", level)
        .register(registry)
        .increment();
  }
}
