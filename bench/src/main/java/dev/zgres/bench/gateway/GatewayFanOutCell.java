package dev.zgres.bench.gateway;

import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.consumers.gateway.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The gateway fan-out cell: a bridge, a gateway in its own JVM, and {@code sockets} WebSocket
 * clients over {@code channels} public channels (each channel has sockets/channels subscribers).
 * Writers post at fixed rates; the cell prints deliveries per second, post-to-socket and
 * Kafka-to-socket latency (p50, p99), the gateway's CPU and RSS, its memory per socket, and how
 * many sockets it held when more were opened.
 */
public final class GatewayFanOutCell {
  private static final String SECRET = "bench secret, at least thirty-two bytes long";
  private static final String LATENCY = "zgres_gateway_kafka_to_socket_seconds";

  /** What to run: sizes, rates, phase length, and how many sockets to try holding at the end. */
  public record Plan(
      int sockets, int channels, int users, List<Integer> rates, Duration phase, int holdSockets) {}

  private GatewayFanOutCell() {}

  public static void run(BenchServers servers, Plan plan, Path out) throws Exception {
    System.out.printf(
        "gateway fan-out: %d sockets over %d channels, rates %s messages/s, %d s phases%n",
        plan.sockets(), plan.channels(), plan.rates(), plan.phase().toSeconds());
    int[] users = new int[plan.users()];
    int[] channels = new int[plan.channels()];
    seed(servers, users, channels);
    TokenSigner signer =
        new TokenSigner(
            SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(6), Clock.systemUTC());
    String[] tokens = new String[users.length];
    for (int i = 0; i < users.length; i++) {
      tokens[i] = signer.issue(users[i]).token();
    }
    try (Bridge bridge = Bridge.start(BridgeConfig.from(bridgeSettings(servers)));
        GatewayChild gateway = GatewayChild.start(servers, SECRET, out);
        FanOutClients clients = new FanOutClients(4)) {
      ProcessProbe probe = new ProcessProbe(gateway.pid(), ProcessProbe.clockTicksPerSecond());
      gateway.gc();
      double heap0 = heap(gateway);
      long rss0 = probe.rssBytes();
      long start = System.nanoTime();
      int opened = clients.open(gateway.port(), plan.sockets(), tokens, channels, 0);
      await(() -> clients.subscribed() >= opened, Duration.ofMinutes(3));
      System.out.printf(
          "  %d sockets connected, authenticated and subscribed in %.1f s%n",
          clients.subscribed(), (System.nanoTime() - start) / 1e9);
      gateway.gc();
      double heap1 = heap(gateway);
      long rss1 = probe.rssBytes();
      System.out.printf(
          "  gateway memory: heap after GC %.1f -> %.1f MB, RSS %.1f -> %.1f MB; per socket %.1f KB"
              + " heap, %.1f KB RSS%n",
          heap0 / 1e6,
          heap1 / 1e6,
          rss0 / 1e6,
          rss1 / 1e6,
          (heap1 - heap0) / opened / 1024,
          (double) (rss1 - rss0) / opened / 1024);

      for (int rate : plan.rates()) {
        phase(servers, gateway, probe, clients, users[0], channels, rate, plan);
      }
      hold(gateway, probe, clients, tokens, channels, opened, plan.holdSockets());
    }
  }

  private static void phase(
      BenchServers servers,
      GatewayChild gateway,
      ProcessProbe probe,
      FanOutClients clients,
      int poster,
      int[] channels,
      int rate,
      Plan plan)
      throws Exception {
    TreeMap<Double, Double> before = PromHistogram.buckets(gateway.scrape(), LATENCY);
    clients.takeLatency();
    long delivered0 = clients.deliveries();
    double cpu0 = probe.cpuSeconds();
    ProcessProbe self =
        new ProcessProbe(ProcessHandle.current().pid(), ProcessProbe.clockTicksPerSecond());
    double selfCpu0 = self.cpuSeconds();
    long t0 = System.nanoTime();
    long posted = write(servers, poster, channels, rate, plan.phase());
    double seconds = (System.nanoTime() - t0) / 1e9;
    long deliveredInPhase = clients.deliveries() - delivered0;
    double cpu = (probe.cpuSeconds() - cpu0) / seconds;
    double selfCpu = (self.cpuSeconds() - selfCpu0) / seconds;
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long expected = posted * plan.sockets() / plan.channels();
    await(() -> clients.deliveries() - delivered0 >= expected, Duration.ofSeconds(15));
    long delivered = clients.deliveries() - delivered0;
    Histogram latency = clients.takeLatency();
    List<Double> kafka =
        PromHistogram.quantiles(
            before, PromHistogram.buckets(gateway.scrape(), LATENCY), 0.5, 0.99);
    System.out.printf(
        "  rate %5d/s: posted %.0f msg/s, delivered %.0f/s during the phase (%d of %d expected by"
            + " 15 s after the writers stopped); post->socket p50 %.1f ms p99 %.1f ms;"
            + " kafka->socket p50 <= %.0f ms p99 <= %.0f ms (Infinity: over 10 s); gateway CPU %.2f cores, RSS %.0f MB; sockets closed by the server %d;"
            + " load generator JVM (clients, Kafka broker, bridge) CPU %.2f cores; host load"
            + " average %.1f%n",
        rate,
        posted / seconds,
        deliveredInPhase / seconds,
        delivered,
        expected,
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        kafka.get(0) * 1000,
        kafka.get(1) * 1000,
        cpu,
        probe.rssBytes() / 1e6,
        clients.closedByServer(),
        selfCpu,
        load);
  }

  private static void hold(
      GatewayChild gateway,
      ProcessProbe probe,
      FanOutClients clients,
      String[] tokens,
      int[] channels,
      int opened,
      int target)
      throws Exception {
    if (target <= opened) {
      return;
    }
    int more = clients.open(gateway.port(), target - opened, tokens, channels, opened);
    int total = opened + more;
    await(() -> clients.subscribed() >= total, Duration.ofMinutes(3));
    gateway.gc();
    String scrape = gateway.scrape();
    System.out.printf(
        "  held: %.0f open sockets (%d subscribed) in one gateway; heap after GC %.1f MB, RSS %.1f"
            + " MB%n",
        PromHistogram.gauge(scrape, "zgres_gateway_connections"),
        clients.subscribed(),
        heap(gateway) / 1e6,
        probe.rssBytes() / 1e6);
  }

  /** Posts as {@code poster} to random channels at {@code rate}/s for {@code length}. */
  private static long write(
      BenchServers servers, int poster, int[] channels, int rate, Duration length)
      throws Exception {
    int threads = Math.min(16, Math.max(1, rate / 100));
    AtomicLong posted = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    long end = System.nanoTime() + length.toNanos();
    for (int w = 0; w < threads; w++) {
      Thread t =
          new Thread(
              () -> {
                long interval = (long) (1e9 * threads / rate);
                long next = System.nanoTime();
                try (Connection c = servers.connect("zgres-bench-gateway-writer");
                    PreparedStatement s = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
                  c.setAutoCommit(false);
                  while (next < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    // Behind schedule (commits are slower than the rate), post everything that is
                    // due in one transaction: the rate holds, each message still timed from its
                    // post.
                    long due = Math.max(1, Math.min(50, (System.nanoTime() - next) / interval + 1));
                    for (long i = 0; i < due; i++) {
                      s.setInt(1, poster);
                      s.setInt(2, channels[ThreadLocalRandom.current().nextInt(channels.length)]);
                      s.setString(3, "t" + System.nanoTime());
                      s.execute();
                    }
                    c.commit();
                    posted.addAndGet(due);
                    next += due * interval;
                  }
                } catch (SQLException e) {
                  System.out.println("  writer failed: " + e.getMessage());
                }
              },
              "bench-gateway-writer-" + w);
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) {
      t.join();
    }
    return posted.get();
  }

  private static void seed(BenchServers servers, int[] users, int[] channels) throws SQLException {
    String tag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    try (Connection c = servers.connect("zgres-bench-gateway-seed");
        PreparedStatement register = c.prepareStatement("SELECT chat.register_user(?, ?, ?)");
        PreparedStatement create =
            c.prepareStatement("SELECT chat.create_channel(?, ?, 'public', NULL)")) {
      for (int i = 0; i < users.length; i++) {
        String name = "fan_" + tag + "_" + i;
        register.setString(1, name);
        register.setString(2, "bench password");
        register.setString(3, name + "@example.org");
        users[i] = single(register);
      }
      for (int i = 0; i < channels.length; i++) {
        create.setInt(1, users[0]);
        create.setString(2, "fan-out " + i);
        channels[i] = single(create);
      }
    }
  }

  private static int single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Map<String, String> bridgeSettings(BenchServers servers) {
    return Map.of(
        "ZGRES_PG_URL", servers.pgUrl(),
        "ZGRES_PG_USER", servers.pgUser(),
        "ZGRES_PG_PASSWORD", servers.pgPassword(),
        "ZGRES_KAFKA_BOOTSTRAP", servers.kafkaBootstrap(),
        "ZGRES_METRICS_PORT", "0");
  }

  private static double heap(GatewayChild gateway) throws Exception {
    return PromHistogram.gauge(gateway.scrape(), "jvm_memory_used_bytes{area=\"heap\"");
  }

  private interface Condition {
    boolean met();
  }

  private static void await(Condition condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.met() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
