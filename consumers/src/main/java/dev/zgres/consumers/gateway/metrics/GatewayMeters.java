package dev.zgres.consumers.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every meter the gateway records, named and described in one place. Labels carry frame types,
 * reasons and outcomes from fixed sets, never user input. Prometheus names add {@code _total} to
 * counters and {@code _seconds} to timers.
 */
public final class GatewayMeters {
  /** Open WebSocket connections, authenticated or not. */
  public static final String CONNECTIONS = "zgres.gateway.connections";

  /** Distinct users with at least one authenticated socket on this gateway. */
  public static final String USERS = "zgres.gateway.users";

  /** Channel subscriptions held by this gateway's sockets. */
  public static final String SUBSCRIPTIONS = "zgres.gateway.subscriptions";

  /** Client frames received, by type ({@code invalid} for refused ones). */
  public static final String FRAMES_IN = "zgres.gateway.frames.in";

  /** Frames written to sockets. */
  public static final String FRAMES_OUT = "zgres.gateway.frames.out";

  /** Chat records queued to subscribed sockets (one per record and socket). */
  public static final String DELIVERIES = "zgres.gateway.deliveries";

  /** Sockets closed because their send queue filled (close code 4001). */
  public static final String SLOW_CLOSES = "zgres.gateway.slow.consumer.closes";

  /** Authentications refused, by reason: missing, expired, forged, malformed, timeout. */
  public static final String AUTH_FAILURES = "zgres.gateway.auth.failures";

  /** Logins over HTTP, by outcome: ok, refused, rate_limited. */
  public static final String LOGINS = "zgres.gateway.logins";

  /** Subscriptions with a position, by outcome: recovered (memory), replayed (Kafka), refetch. */
  public static final String RESUMES = "zgres.gateway.resumes";

  /** Kafka record timestamp to the frame queued for the sockets of its channel. */
  public static final String KAFKA_TO_SOCKET = "zgres.gateway.kafka.to.socket";

  /** Errors caught in a background loop, by component; the loop carries on. */
  public static final String LOOP_ERRORS = "zgres.gateway.loop.errors";

  private final MeterRegistry registry;
  private final Counter framesOut;
  private final Counter deliveries;
  private final Counter slowCloses;
  private final Timer kafkaToSocket;
  private static final String RESUMES_DESCRIPTION = "Subscriptions with a position, by outcome";
  private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

  public GatewayMeters(
      MeterRegistry registry,
      Supplier<Number> connections,
      Supplier<Number> users,
      Supplier<Number> subscriptions) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS, connections)
        .description("Open WebSocket connections")
        .register(registry);
    Gauge.builder(USERS, users)
        .description("Users with an authenticated socket here")
        .register(registry);
    Gauge.builder(SUBSCRIPTIONS, subscriptions)
        .description("Channel subscriptions of this gateway's sockets")
        .register(registry);
    framesOut =
        Counter.builder(FRAMES_OUT).description("Frames written to sockets").register(registry);
    deliveries =
        Counter.builder(DELIVERIES)
            .description("Chat records queued to sockets")
            .register(registry);
    slowCloses =
        Counter.builder(SLOW_CLOSES)
            .description("Sockets closed because their send queue filled")
            .register(registry);
    kafkaToSocket =
        Timer.builder(KAFKA_TO_SOCKET)
            .description("Kafka record timestamp to the frame queued for its subscribers")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    // Every outcome is a series from the start, so a dashboard shows 0 rather than no data.
    for (String outcome : List.of("recovered", "replayed", "refetch")) {
      counter(RESUMES, RESUMES_DESCRIPTION, "outcome", outcome);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void frameIn(String type) {
    counter(FRAMES_IN, "Client frames received, by type", "type", type).increment();
  }

  public void frameOut() {
    framesOut.increment();
  }

  public void delivered(int sockets, long recordTimestampMs) {
    if (sockets > 0) {
      deliveries.increment(sockets);
      long lag = System.currentTimeMillis() - recordTimestampMs;
      kafkaToSocket.record(Duration.ofMillis(Math.max(0, lag)));
    }
  }

  public void slowClose() {
    slowCloses.increment();
  }

  public void authFailure(String reason) {
    counter(AUTH_FAILURES, "Authentications refused, by reason", "reason", reason).increment();
  }

  public void login(String outcome) {
    counter(LOGINS, "Logins over HTTP, by outcome", "outcome", outcome).increment();
  }

  public void resume(String outcome) {
    counter(RESUMES, RESUMES_DESCRIPTION, "outcome", outcome).increment();
  }

  public void loopError(String component) {
    counter(LOOP_ERRORS, "Errors caught in a background loop", "component", component).increment();
  }

  private Counter counter(String name, String description, String tag, String value) {
    return tagged.computeIfAbsent(
        name + '\0' + value,
        k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }
}
