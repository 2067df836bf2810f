package dev.zgres.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenAI-compatible chat-completions endpoint for tests: answers every request with a fixed
 * reply, or holds the first ones until {@link #release()} (to catch a worker mid-way).
 */
final class FakeLlmServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final int holdFirst;

  FakeLlmServer(String reply, int holdFirst) throws IOException {
    this.holdFirst = holdFirst;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String body =
        "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
            + reply.replace("\"", "\\\"")
            + "\"}}]}";
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          if (requests.incrementAndGet() <= holdFirst) {
            try {
              release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          } catch (IOException e) {
            // The client went away (killed): nothing to answer.
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int requests() {
    return requests.get();
  }

  void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
