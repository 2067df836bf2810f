package dev.zgres.consumers.ai;

import dev.zgres.consumers.consume.LoopConfig;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.SettingValues;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The AI worker's configuration, validated before any connection opens.
 *
 * @param llm the LLM endpoint, or null for the offline responder only
 */
public record AiWorkerConfig(
    PgEndpoint postgres,
    LoopConfig loop,
    int metricsPort,
    String workerId,
    Duration lease,
    int requestAttempts,
    double minSimilarity,
    int summaryEvery,
    Duration summaryMaxAge,
    Llm llm) {
  /** The consumer group of every AI worker. */
  public static final String GROUP = "zgres-ai";

  /** An OpenAI-compatible endpoint; {@code apiKey} may be null. */
  public record Llm(URI url, String model, String apiKey, Duration timeout) {
    @Override
    public String toString() {
      return "Llm[url=" + url + ", model=" + model + ", timeout=" + timeout + "]";
    }
  }

  /** Reads and validates every setting; throws a ConfigException listing all problems. */
  public static AiWorkerConfig from(Map<String, String> env) {
    SettingValues values = new SettingValues(env);
    PgEndpoint postgres = CommonSettings.postgres(values);
    LoopConfig loop =
        LoopConfig.from(values, GROUP, List.of(values.string(AiWorkerSettings.CHAT_TOPIC)));
    int port = values.integer(CommonSettings.METRICS_PORT);
    String id = values.string(AiWorkerSettings.WORKER_ID);
    if (id.isEmpty()) {
      id = "ai-" + host() + "-" + ProcessHandle.current().pid();
    } else if (id.length() > 100) {
      values.problem(AiWorkerSettings.WORKER_ID, "must be at most 100 characters", id);
    }
    Duration lease = values.millis(AiWorkerSettings.LEASE_MS);
    int attempts = values.integer(AiWorkerSettings.REQUEST_ATTEMPTS);
    double similarity = values.parsed(AiWorkerSettings.MIN_SIMILARITY, Double::parseDouble, 0.75);
    int summaryEvery = values.integer(AiWorkerSettings.SUMMARY_EVERY);
    Duration summaryAge = values.millis(AiWorkerSettings.SUMMARY_MAX_AGE_MS);
    String url = values.string(AiWorkerSettings.LLM_URL);
    String model = values.string(AiWorkerSettings.LLM_MODEL);
    String key = values.string(AiWorkerSettings.LLM_API_KEY);
    Duration timeout = values.millis(AiWorkerSettings.LLM_TIMEOUT_MS);
    Llm llm = null;
    if (!url.isEmpty()) {
      if (!url.matches("https?://[^\\s]+")) {
        values.problem(AiWorkerSettings.LLM_URL, "must be an http(s) URL", url);
        url = "http://invalid";
      }
      if (model.isEmpty()) {
        values.problem(AiWorkerSettings.LLM_MODEL, "must be set when ZGRES_LLM_URL is", model);
      }
      llm = new Llm(URI.create(url), model, key.isEmpty() ? null : key, timeout);
    }
    values.throwIfInvalid();
    return new AiWorkerConfig(
        postgres, loop, port, id, lease, attempts, similarity, summaryEvery, summaryAge, llm);
  }

  private static String host() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "local" : host;
  }
}
