package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.settings.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AiWorkerConfigTest {
  @Test
  void defaultsReadChatMessagesInGroupZgresAiAndAnswerOffline() {
    AiWorkerConfig config = AiWorkerConfig.from(Map.of());
    assertThat(config.loop().group()).isEqualTo("zgres-ai");
    assertThat(config.loop().topics()).containsExactly("chat.messages");
    assertThat(config.llm()).isNull();
    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.minSimilarity()).isEqualTo(0.75);
    assertThat(config.summaryEvery()).isEqualTo(20);
    assertThat(config.workerId()).startsWith("ai-");
  }

  @Test
  void anLlmEndpointNeedsAModelAndEveryProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                AiWorkerConfig.from(
                    Map.of(
                        "ZGRES_LLM_URL", "http://localhost:11434/v1",
                        "ZGRES_AI_MIN_SIMILARITY", "1.5",
                        "ZGRES_AI_LEASE_MS", "10")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactlyInAnyOrder(
                        "ZGRES_AI_LEASE_MS must be between 1000 and 3600000 (was 10)",
                        "ZGRES_AI_MIN_SIMILARITY must be a number between 0 and 1 (was 1.5)",
                        "ZGRES_LLM_MODEL must be set when ZGRES_LLM_URL is (was empty)"));
  }

  @Test
  void theApiKeyComesFromItsFileAndIsNeverShown() throws Exception {
    java.nio.file.Path key = java.nio.file.Files.createTempFile("llm", ".key");
    java.nio.file.Files.writeString(key, "sk-secret\n");
    AiWorkerConfig config =
        AiWorkerConfig.from(
            Map.of(
                "ZGRES_LLM_URL", "http://localhost:11434/v1",
                "ZGRES_LLM_MODEL", "llama3",
                "ZGRES_LLM_API_KEY_FILE", key.toString()));
    assertThat(config.llm().url()).isEqualTo(URI.create("http://localhost:11434/v1"));
    assertThat(config.llm().apiKey()).isEqualTo("sk-secret");
    assertThat(config.toString()).doesNotContain("sk-secret");
  }
}
