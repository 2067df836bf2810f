package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.zgres.consumers.embed.SharedEmbedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The LLM path against a local fake OpenAI-compatible server. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LlmResponderIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private java.util.concurrent.ExecutorService executor;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> answer =
      new AtomicReference<>("Restart it with systemctl.");
  private final AtomicInteger status = new AtomicInteger(200);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          requests.add(JSON.readTree(exchange.getRequestBody()));
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          if (hang) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body =
              JSON.createObjectNode()
                  .set(
                      "choices",
                      JSON.createArrayNode()
                          .add(
                              JSON.createObjectNode()
                                  .set(
                                      "message",
                                      JSON.createObjectNode()
                                          .put("role", "assistant")
                                          .put("content", answer.get()))))
                  .toString()
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    executor = java.util.concurrent.Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  private static final Question QUESTION =
      new Question(7, "ops", "ana", "@ai how do I restart the bridge?");
  private static final List<HistoryMessage> HISTORY =
      List.of(new HistoryMessage(5, "ben", "the bridge runs under systemd", null, false));

  @Test
  void sendsTheSeedsPromptWithTheConversationAndReturnsTheAnswer() {
    LlmResponder llm = new LlmResponder(base(), "tiny", "sk-test", Duration.ofSeconds(5));
    Reply reply = llm.reply(QUESTION, HISTORY);

    assertThat(reply).isEqualTo(Reply.of("Restart it with systemctl.", "llm:tiny"));
    JsonNode sent = requests.get(0);
    assertThat(sent.get("model").asText()).isEqualTo("tiny");
    assertThat(sent.at("/messages/0/content").asText())
        .isEqualTo(
            "You are a helpful AI assistant in the \"ops\" chat. Recent conversation:\n"
                + "ben: the bridge runs under systemd\n\n"
                + "User asks: @ai how do I restart the bridge?\n\nProvide a helpful response:");
    assertThat(authorizations).containsExactly("Bearer sk-test");
  }

  @Test
  void fallsBackToTheOfflineResponderWhenTheEndpointTimesOut() {
    hang = true;
    List<String> failures = new CopyOnWriteArrayList<>();
    ReplyGenerator responder =
        new FallbackResponder(
            new LlmResponder(base(), "tiny", null, Duration.ofMillis(300)),
            new OfflineResponder(SharedEmbedder.get(), 0.75),
            e -> failures.add(e.getMessage()));
    long start = System.nanoTime();
    Reply reply = responder.reply(QUESTION, List.of());
    System.out.printf("fallback after %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertThat(reply.generator()).isEqualTo("offline");
    assertThat(reply.text()).startsWith("@ana I don't know yet");
    assertThat(reply.fallbackReason()).contains("timed out");
    assertThat(failures).hasSize(1);
  }

  @Test
  void anErrorStatusOrAnEmptyAnswerIsAFailure() {
    LlmResponder llm = new LlmResponder(base(), "tiny", null, Duration.ofSeconds(5));
    status.set(503);
    assertThatThrownBy(() -> llm.reply(QUESTION, HISTORY))
        .isInstanceOf(ReplyGenerator.ReplyFailedException.class)
        .hasMessageEndingWith("answered HTTP 503");
    status.set(200);
    answer.set("   ");
    assertThatThrownBy(() -> llm.reply(QUESTION, HISTORY))
        .hasMessageEndingWith("sent an empty reply");
  }
}
