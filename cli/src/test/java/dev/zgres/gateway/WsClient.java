package dev.zgres.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) for the gateway: collects every text frame as JSON, and the
 * close code.
 */
final class WsClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final List<JsonNode> seen = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final WebSocket socket;

  private WsClient(int port, String path) {
    this.socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new Listener())
            .join();
  }

  static WsClient connect(int port) {
    return new WsClient(port, "/ws");
  }

  /** Connects and authenticates; fails unless auth_ok arrives. */
  static WsClient authenticated(int port, String token) {
    WsClient c = connect(port);
    c.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
    c.await("auth_ok", f -> f.path("type").asText().equals("auth_ok"));
    return c;
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next frame that matches, skipping (and keeping) others; fails at the deadline. */
  JsonNode await(String what, Predicate<JsonNode> match) {
    for (JsonNode f : seen) {
      if (match.test(f)) {
        seen.remove(f);
        return f;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode f;
      try {
        f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
      if (f == null) {
        throw new AssertionError("no " + what + " within " + WAIT + "; other frames: " + seen);
      }
      if (match.test(f)) {
        return f;
      }
      seen.add(f);
    }
  }

  JsonNode awaitType(String type) {
    return await(type, f -> f.path("type").asText().equals(type));
  }

  /**
   * The next {@code count} message frames of a channel, in arrival order, leaving out {@code
   * member_joined} events (a channel's creation emits them, and they may reach the gateway after a
   * client subscribed).
   */
  List<JsonNode> awaitMessages(int channelId, int count) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          await(
              "message " + (i + 1) + "/" + count + " of channel " + channelId,
              f ->
                  f.path("type").asText().equals("message")
                      && f.path("channel_id").asInt() == channelId
                      && !f.path("event").path("event").asText().equals("member_joined")));
    }
    return out;
  }

  /** Every frame received so far and within {@code quiet} more, without waiting for any. */
  List<JsonNode> drain(Duration quiet) {
    List<JsonNode> out = new ArrayList<>(seen);
    seen.clear();
    try {
      JsonNode f;
      while ((f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        out.add(f);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** The close code the server sent; fails at the deadline. */
  int awaitClose() {
    try {
      return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the socket within " + WAIT, e);
    }
  }

  boolean isClosed() {
    return closeCode.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
    http.close();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException("the gateway sent a frame that is not JSON", e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(-1);
    }
  }
}
