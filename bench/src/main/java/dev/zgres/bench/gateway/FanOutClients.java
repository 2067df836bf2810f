package dev.zgres.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Many WebSocket clients of one gateway (the JDK's client, a few shared HTTP clients): each
 * authenticates, subscribes to one channel and counts the {@code message} frames it gets. Messages
 * whose content is {@code t<nanoTime>} (written by this JVM just before the insert) are timed
 * post-to-socket.
 */
final class FanOutClients implements AutoCloseable {
  private final List<HttpClient> http = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final LongAdder deliveries = new LongAdder();
  private final AtomicInteger subscribed = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final Recorder latency = new Recorder(3);

  FanOutClients(int httpClients) {
    for (int i = 0; i < httpClients; i++) {
      http.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build());
    }
  }

  /**
   * Opens {@code count} more sockets; socket {@code i} authenticates with {@code tokens[i %
   * tokens.length]} and subscribes to {@code channels[i % channels.length]}. Returns how many
   * opened (a refused connection ends the attempt).
   */
  int open(int port, int count, String[] tokens, int[] channels, int offset) {
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
    int opened = 0;
    int batch = 200;
    for (int start = 0; start < count; start += batch) {
      List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + batch); i++) {
        int n = offset + i;
        HttpClient client = http.get(n % http.size());
        pending.add(
            client
                .newWebSocketBuilder()
                .buildAsync(uri, new Counting())
                .thenCompose(
                    ws ->
                        ws.sendText(
                                "{\"type\":\"auth\",\"token\":\""
                                    + tokens[n % tokens.length]
                                    + "\"}",
                                true)
                            .thenCompose(
                                w ->
                                    w.sendText(
                                        "{\"type\":\"subscribe\",\"channel_id\":"
                                            + channels[n % channels.length]
                                            + "}",
                                        true))));
      }
      for (CompletableFuture<WebSocket> f : pending) {
        try {
          sockets.add(f.get(60, TimeUnit.SECONDS));
          opened++;
        } catch (Exception e) {
          System.out.println(
              "  a connection failed after " + (offset + opened) + " sockets: " + e.getCause());
          return opened;
        }
      }
    }
    return opened;
  }

  int subscribed() {
    return subscribed.get();
  }

  int closedByServer() {
    return closed.get();
  }

  long deliveries() {
    return deliveries.sum();
  }

  /** The post-to-socket latencies recorded since the last call, in microseconds. */
  org.HdrHistogram.Histogram takeLatency() {
    return latency.getIntervalHistogram();
  }

  @Override
  public void close() {
    for (WebSocket ws : sockets) {
      ws.abort();
    }
    for (HttpClient client : http) {
      client.shutdownNow();
    }
  }

  private final class Counting implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      CharSequence frame = data;
      if (!last || partial.length() > 0) {
        partial.append(data);
        if (!last) {
          return null;
        }
        frame = partial.toString();
        partial.setLength(0);
      }
      String text = frame.toString();
      if (text.startsWith("{\"type\":\"message\"")) {
        deliveries.increment();
        int at = text.indexOf("\"content\": \"t");
        if (at > 0) {
          int from = at + 13;
          int to = text.indexOf('"', from);
          try {
            long sent = Long.parseLong(text, from, to, 10);
            latency.recordValue(Math.max(0, (now - sent) / 1000));
          } catch (NumberFormatException e) {
            // not one of ours
          }
        }
      } else if (text.startsWith("{\"type\":\"subscribed\"")) {
        subscribed.incrementAndGet();
      } else if (text.startsWith("{\"type\":\"ping\"")) {
        webSocket.sendText("{\"type\":\"pong\"}", true);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.incrementAndGet();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.incrementAndGet();
    }
  }
}
