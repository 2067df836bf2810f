package dev.zgres.consumers.ai;

import dev.zgres.runtime.settings.Rule;
import dev.zgres.runtime.settings.Setting;
import java.util.List;

/** The settings of the AI worker beyond the common and consumer-loop ones, declared once. */
public final class AiWorkerSettings {
  /** Shared by the AI worker and the moderator. */
  public static final Setting CHAT_TOPIC =
      Setting.required(
          "ZGRES_CHAT_TOPIC",
          "--chat-topic",
          "chat.messages",
          "ai-worker and moderator: the topic of chat events they read (where the bridge routes `chat_message_*`)");

  public static final Setting WORKER_ID =
      Setting.text(
          "ZGRES_AI_WORKER_ID",
          "--worker-id",
          "",
          "ai-worker: the name it claims assistant requests under (empty: `ai-<host>-<pid>`)");
  public static final Setting LEASE_MS =
      Setting.number(
          "ZGRES_AI_LEASE_MS",
          "--lease-ms",
          "30000",
          "ai-worker: how long a claimed assistant request stays with a silent worker before another takes it over",
          1_000,
          3_600_000);
  public static final Setting REQUEST_ATTEMPTS =
      Setting.number(
          "ZGRES_AI_REQUEST_ATTEMPTS",
          "--request-attempts",
          "5",
          "ai-worker: attempts at an assistant request before it is marked failed",
          1,
          100);
  public static final Setting MIN_SIMILARITY =
      Setting.matching(
          "ZGRES_AI_MIN_SIMILARITY",
          "--min-similarity",
          "0.75",
          "ai-worker: cosine similarity an earlier message needs for the offline responder to quote it",
          "0(\\.[0-9]+)?|1(\\.0+)?",
          "must be a number between 0 and 1");
  public static final Setting SUMMARY_EVERY =
      Setting.number(
          "ZGRES_SUMMARY_EVERY",
          "--summary-every",
          "20",
          "ai-worker: new user messages in a channel after which its summary is renewed",
          1,
          100_000);
  public static final Setting SUMMARY_MAX_AGE_MS =
      Setting.number(
          "ZGRES_SUMMARY_MAX_AGE_MS",
          "--summary-max-age-ms",
          "600000",
          "ai-worker: age after which a channel's summary is renewed at its next message",
          1_000,
          86_400_000);
  public static final Setting LLM_URL =
      Setting.text(
          "ZGRES_LLM_URL",
          "--llm-url",
          "",
          "ai-worker: base URL of an OpenAI-compatible endpoint (`…/v1`) for assistant replies (empty: offline responder)");
  public static final Setting LLM_MODEL =
      Setting.text(
          "ZGRES_LLM_MODEL",
          "--llm-model",
          "",
          "ai-worker: the model name sent to that endpoint (required with `ZGRES_LLM_URL`)");
  public static final Setting LLM_API_KEY =
      Setting.secret(
          "ZGRES_LLM_API_KEY",
          "--llm-api-key",
          "ai-worker: bearer token for that endpoint (or `ZGRES_LLM_API_KEY_FILE`: a file holding it)",
          new Rule.Any());
  public static final Setting LLM_TIMEOUT_MS =
      Setting.number(
          "ZGRES_LLM_TIMEOUT_MS",
          "--llm-timeout-ms",
          "10000",
          "ai-worker: longest wait for the endpoint's reply before the offline responder answers",
          100,
          600_000);

  public static final List<Setting> ALL =
      List.of(
          CHAT_TOPIC,
          WORKER_ID,
          LEASE_MS,
          REQUEST_ATTEMPTS,
          MIN_SIMILARITY,
          SUMMARY_EVERY,
          SUMMARY_MAX_AGE_MS,
          LLM_URL,
          LLM_MODEL,
          LLM_API_KEY,
          LLM_TIMEOUT_MS);

  private AiWorkerSettings() {}
}
