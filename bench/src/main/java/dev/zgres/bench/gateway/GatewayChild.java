package dev.zgres.bench.gateway;

import dev.zgres.bench.child.GatewayChildMain;
import dev.zgres.bench.servers.BenchServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The gateway JVM: started with the bench's classpath, stopped by closing its stdin. */
final class GatewayChild implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private GatewayChild(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static GatewayChild start(BenchServers servers, String secret, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder b =
        new ProcessBuilder(
            java,
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            GatewayChildMain.class.getName());
    b.environment().put("ZGRES_PG_URL", servers.pgUrl());
    b.environment().put("ZGRES_PG_USER", servers.pgUser());
    b.environment().put("ZGRES_PG_PASSWORD", servers.pgPassword());
    b.environment().put("ZGRES_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
    b.environment().put("ZGRES_GATEWAY_SECRET", secret);
    b.redirectError(ProcessBuilder.Redirect.appendTo(out.resolve("gateway.log").toFile()));
    Process p = b.start();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = reader.readLine();
    if (line == null || !line.startsWith("READY ")) {
      p.destroyForcibly();
      throw new IllegalStateException("the gateway did not start: " + line);
    }
    return new GatewayChild(p, Integer.parseInt(line.substring(6).trim()));
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A full GC in the gateway (jcmd), so heap figures compare live data only. */
  void gc() throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    http.close();
  }
}
