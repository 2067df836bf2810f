package dev.zgres.consumers.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Replies from an OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp server,
 * ...): {@code POST <baseUrl>/chat/completions} with the seed's prompt (the channel, the recent
 * conversation, the question) at temperature 0. Any failure (connection, timeout, a status other
 * than 200, an empty answer) is a {@link ReplyFailedException}; combine with {@link
 * FallbackResponder} to answer offline instead.
 */
public final class LlmResponder implements ReplyGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONTEXT_MESSAGES = 10;

  private final HttpClient http;
  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;

  /**
   * @param baseUrl such as {@code http://localhost:11434/v1}
   * @param apiKey sent as a bearer token, or null for none
   */
  public LlmResponder(URI baseUrl, String model, String apiKey, Duration timeout) {
    String base = baseUrl.toString();
    this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    this.model = model;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The generator name recorded in a reply's metadata. */
  public String generator() {
    return "llm:" + model;
  }

  @Override
  public Reply reply(Question question, List<HistoryMessage> history) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    body.put("max_tokens", 300);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.put("content", prompt(question, history));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReplyFailedException("LLM endpoint " + endpoint + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplyFailedException("interrupted while waiting for the LLM endpoint", e);
    }
    if (response.statusCode() != 200) {
      throw new ReplyFailedException(
          "LLM endpoint " + endpoint + " answered HTTP " + response.statusCode(), null);
    }
    String text;
    try {
      JsonNode content = JSON.readTree(response.body()).at("/choices/0/message/content");
      text = content.isTextual() ? content.asText().strip() : "";
    } catch (IOException e) {
      throw new ReplyFailedException("LLM endpoint " + endpoint + " sent JSON we cannot read", e);
    }
    if (text.isEmpty()) {
      throw new ReplyFailedException("LLM endpoint " + endpoint + " sent an empty reply", null);
    }
    return Reply.of(text.length() > 4000 ? text.substring(0, 4000) : text, generator());
  }

  /** The seed's prompt: the channel, up to ten recent messages, the question. */
  static String prompt(Question question, List<HistoryMessage> history) {
    StringBuilder context = new StringBuilder();
    for (HistoryMessage m :
        history.subList(Math.max(0, history.size() - CONTEXT_MESSAGES), history.size())) {
      context.append(m.username()).append(": ").append(m.content()).append('\n');
    }
    return "You are a helpful AI assistant in the \""
        + question.channelName()
        + "\" chat. Recent conversation:\n"
        + context
        + "\nUser asks: "
        + question.content()
        + "\n\nProvide a helpful response:";
  }
}
