package dev.zgres.consumers.gateway;

import dev.zgres.runtime.settings.PgEndpoint;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one gateway process needs, validated before anything opens. {@code secret} signs the
 * login tokens and is never printed (see {@link #toString()}).
 *
 * @param port HTTP and WebSocket port (it serves {@code /metrics} and {@code /health} too); 0 picks
 *     a free one (tests)
 * @param metricsPort port of {@code /metrics} and {@code /health} alone, as every zgres process
 *     serves them (Prometheus, container healthchecks); 0 picks a free one, -1 serves none
 * @param secret HMAC key of the login tokens, at least 32 bytes
 * @param db the chat database
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param tuning limits and timings, {@link Tuning#defaults()} unless a test needs others
 * @param kafkaProperties extra settings of the gateway's Kafka clients (TLS, SASL), from {@code
 *     ZGRES_CONSUMER_PROPERTIES}; may hold secrets, so only their keys are ever shown
 */
public record GatewayConfig(
    int port,
    int metricsPort,
    byte[] secret,
    PgEndpoint db,
    String kafkaBootstrap,
    Tuning tuning,
    Map<String, String> kafkaProperties) {

  /** No extra Kafka client settings. */
  public GatewayConfig(
      int port,
      int metricsPort,
      byte[] secret,
      PgEndpoint db,
      String kafkaBootstrap,
      Tuning tuning) {
    this(port, metricsPort, secret, db, kafkaBootstrap, tuning, Map.of());
  }

  /** A gateway that serves {@code /metrics} and {@code /health} on its own port only. */
  public GatewayConfig(
      int port, byte[] secret, PgEndpoint db, String kafkaBootstrap, Tuning tuning) {
    this(port, -1, secret, db, kafkaBootstrap, tuning);
  }

  public GatewayConfig {
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "metricsPort must be between -1 and 65535 (was " + metricsPort + ")");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535 (was " + port + ")");
    }
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("the gateway secret must be at least 32 bytes");
    }
    secret = secret.clone();
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "GatewayConfig[port="
        + port
        + ", metricsPort="
        + metricsPort
        + ", secret=(hidden), db="
        + db
        + ", kafkaBootstrap="
        + kafkaBootstrap
        + ", "
        + tuning
        + ", kafkaProperties="
        + kafkaProperties.keySet()
        + "]";
  }

  public GatewayConfig withTuning(Tuning other) {
    return new GatewayConfig(port, metricsPort, secret, db, kafkaBootstrap, other, kafkaProperties);
  }

  public GatewayConfig withMetricsPort(int other) {
    return new GatewayConfig(port, other, secret, db, kafkaBootstrap, tuning, kafkaProperties);
  }

  public GatewayConfig withKafkaProperties(Map<String, String> other) {
    return new GatewayConfig(port, metricsPort, secret, db, kafkaBootstrap, tuning, other);
  }

  /**
   * Limits and timings. The protocol fixes {@code authTimeout} at 5 s; the others are this
   * gateway's choices.
   *
   * @param tokenLifetime how long a login token is valid
   * @param tokenGrace how long a socket whose token expired may still {@code refresh} before it is
   *     closed with 4002
   * @param authTimeout how long a new socket has to send {@code auth}
   * @param pingInterval a socket silent this long gets a {@code ping}; one silent twice as long is
   *     closed
   * @param sendQueueFrames frames one socket may have waiting before it is closed as too slow
   * @param sendQueueBytes bytes one socket may have waiting before it is closed as too slow
   * @param windowRecords records kept in memory per channel with subscribers, for resumes
   * @param maxReplay furthest behind (partition offsets) a resume is replayed from Kafka
   * @param sendsPerSecond {@code send} frames a socket may send per second (burst: twice that)
   * @param typingPerSecond {@code typing} frames a socket may send per second (burst: twice that)
   * @param loginsPerUserPerMinute login attempts per username per minute
   * @param loginsPerAddressPerMinute login attempts per client address per minute
   * @param presenceTtl how long this gateway's presence entries live unless renewed (renewed every
   *     third of it)
   * @param dbPoolSize database connections
   */
  public record Tuning(
      Duration tokenLifetime,
      Duration tokenGrace,
      Duration authTimeout,
      Duration pingInterval,
      int sendQueueFrames,
      long sendQueueBytes,
      int windowRecords,
      long maxReplay,
      double sendsPerSecond,
      double typingPerSecond,
      int loginsPerUserPerMinute,
      int loginsPerAddressPerMinute,
      Duration presenceTtl,
      int dbPoolSize) {

    public static Tuning defaults() {
      return new Tuning(
          Duration.ofHours(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          1000,
          1 << 20,
          200,
          100_000,
          10,
          3,
          10,
          120,
          Duration.ofSeconds(30),
          8);
    }

    public Tuning withTokenLifetime(Duration lifetime, Duration grace) {
      return new Tuning(
          lifetime,
          grace,
          authTimeout,
          pingInterval,
          sendQueueFrames,
          sendQueueBytes,
          windowRecords,
          maxReplay,
          sendsPerSecond,
          typingPerSecond,
          loginsPerUserPerMinute,
          loginsPerAddressPerMinute,
          presenceTtl,
          dbPoolSize);
    }

    public Tuning withSendQueue(int frames, long bytes) {
      return new Tuning(
          tokenLifetime,
          tokenGrace,
          authTimeout,
          pingInterval,
          frames,
          bytes,
          windowRecords,
          maxReplay,
          sendsPerSecond,
          typingPerSecond,
          loginsPerUserPerMinute,
          loginsPerAddressPerMinute,
          presenceTtl,
          dbPoolSize);
    }

    public Tuning withWindowRecords(int records) {
      return new Tuning(
          tokenLifetime,
          tokenGrace,
          authTimeout,
          pingInterval,
          sendQueueFrames,
          sendQueueBytes,
          records,
          maxReplay,
          sendsPerSecond,
          typingPerSecond,
          loginsPerUserPerMinute,
          loginsPerAddressPerMinute,
          presenceTtl,
          dbPoolSize);
    }

    public Tuning withPresenceTtl(Duration ttl) {
      return new Tuning(
          tokenLifetime,
          tokenGrace,
          authTimeout,
          pingInterval,
          sendQueueFrames,
          sendQueueBytes,
          windowRecords,
          maxReplay,
          sendsPerSecond,
          typingPerSecond,
          loginsPerUserPerMinute,
          loginsPerAddressPerMinute,
          ttl,
          dbPoolSize);
    }
  }
}
