package dev.zgres.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the bridge records, named and described in one place. Labels carry configured channel
 * entries and topic names, never payload content. Prometheus names add {@code _total} to counters
 * and {@code _seconds} to timers.
 */
public final class BridgeMeters {
  /** Events received (notifications or WAL messages), by configured channel entry and source. */
  public static final String RECEIVED = "zgres.events.received";

  /** Records Kafka acknowledged, by topic. */
  public static final String PUBLISHED = "zgres.records.published";

  /** Records Kafka refused for good (after which they go to the dead-letter topic), by topic. */
  public static final String FAILED = "zgres.records.failed";

  /** Records given up at shutdown because Kafka had not taken them when the drain timed out. */
  public static final String ABANDONED = "zgres.records.abandoned";

  /** Records written to a dead-letter topic, by the topic they were meant for. */
  public static final String DEAD_LETTERED = "zgres.records.dead.lettered";

  /** Sends retried after a retriable Kafka error. */
  public static final String RETRIES = "zgres.publish.retries";

  /** Receipt at the bridge to Kafka acknowledgement. */
  public static final String LATENCY = "zgres.publish.latency";

  /** Source connections (LISTEN or replication) re-opened after a failure, by source. */
  public static final String RECONNECTS = "zgres.source.reconnects";

  /** Periods without a LISTEN connection, in which notify-mode events may have been missed. */
  public static final String GAPS = "zgres.listen.gaps";

  /** How long those periods lasted. */
  public static final String GAP_DURATION = "zgres.listen.gap.duration";

  /** Errors caught in a background loop, by component; the loop carries on. */
  public static final String LOOP_ERRORS = "zgres.loop.errors";

  /** Channels currently LISTENed on. */
  public static final String CHANNELS = "zgres.listen.channels";

  /** 1 while the LISTEN connection is up. */
  public static final String CONNECTED = "zgres.listen.connected";

  /** Fraction of PostgreSQL's notification queue in use (pg_notification_queue_usage()). */
  public static final String QUEUE_USAGE = "zgres.pg.notification.queue.usage";

  /** Events waiting between source and publisher. */
  public static final String BACKLOG_SIZE = "zgres.backlog.size";

  /** Most events the backlog holds before the source blocks. */
  public static final String BACKLOG_CAPACITY = "zgres.backlog.capacity";

  /** 1 while the source is blocked on a full backlog. */
  public static final String BACKPRESSURE = "zgres.backpressure.active";

  /** Total time the source spent blocked on a full backlog. */
  public static final String BACKPRESSURE_SECONDS = "zgres.backpressure.blocked.seconds";

  /**
   * wal mode: WAL bytes between PostgreSQL's insert position and the slot's confirmed_flush_lsn.
   */
  public static final String SLOT_LAG_BYTES = "zgres.slot.lag.bytes";

  /**
   * wal mode: WAL bytes PostgreSQL keeps on disk for the slot (insert position minus restart_lsn).
   */
  public static final String SLOT_RETAINED_BYTES = "zgres.slot.retained.bytes";

  /**
   * wal mode: how long ago PostgreSQL's WAL stood where the slot's confirmed position stands now,
   * from samples of pg_current_wal_lsn() taken every probe interval; 0 when the slot is caught up.
   */
  public static final String SLOT_LAG_SECONDS = "zgres.slot.lag.seconds";

  /** wal mode: events read from the slot that Kafka has not acknowledged yet. */
  public static final String SLOT_UNACKNOWLEDGED = "zgres.slot.unacknowledged.events";

  /** 1 while this bridge is the active one, 0 while it is a standby. */
  public static final String LEADER_ACTIVE = "zgres.leader.active";

  /** Times this bridge went from standby to active. */
  public static final String TAKEOVERS = "zgres.leader.takeovers";

  /** wal mode: events skipped on purpose (ZGRES_WAL_EXCLUDE), by exclusion entry. */
  public static final String WAL_EXCLUDED = "zgres.wal.excluded.events";

  private final MeterRegistry registry;
  private final Timer latency;
  private final Counter retries;
  private final Counter reconnects;
  private final Counter gaps;
  private final Timer gapDuration;
  private final Counter takeovers;
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  private final Map<String, Counter> abandoned = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
  private final Map<String, Counter> loopErrors = new ConcurrentHashMap<>();
  private final Map<String, Counter> walExcluded = new ConcurrentHashMap<>();

  /**
   * @param source the source's label ({@code notify} or {@code wal}), a tag of its meters
   */
  public BridgeMeters(MeterRegistry registry, String source) {
    this.registry = registry;
    this.latency =
        Timer.builder(LATENCY)
            .description("Receipt at the bridge to Kafka acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    this.retries =
        Counter.builder(RETRIES)
            .description("Sends retried after a retriable Kafka error")
            .register(registry);
    this.reconnects =
        Counter.builder(RECONNECTS)
            .description("Source connections (LISTEN or replication) re-opened after a failure")
            .tag("source", source)
            .register(registry);
    this.gaps =
        Counter.builder(GAPS)
            .description(
                "Periods without a LISTEN connection, in which notify-mode events may have been missed")
            .register(registry);
    this.gapDuration =
        Timer.builder(GAP_DURATION).description("How long LISTEN gaps lasted").register(registry);
    this.takeovers =
        Counter.builder(TAKEOVERS)
            .description("Times this bridge went from standby to active")
            .register(registry);
  }

  /**
   * Registers a gauge, replacing one of the same name: a component that is re-created (a source
   * restarted after a takeover) reports through its newest instance, not a collected one.
   */
  public <T> void gauge(String name, String description, T owner, ToDoubleFunction<T> value) {
    Search.in(registry).name(name).meters().forEach(registry::remove);
    Gauge.builder(name, owner, value)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** The backlog's size, capacity and back-pressure meters, read from {@code backlog}. */
  public <T> void bindBacklog(
      T backlog,
      ToDoubleFunction<T> size,
      ToDoubleFunction<T> capacity,
      ToDoubleFunction<T> paused,
      ToDoubleFunction<T> pausedSeconds) {
    gauge(BACKLOG_SIZE, "Events waiting between source and publisher", backlog, size);
    gauge(BACKLOG_CAPACITY, "Backlog size at which the source is paused", backlog, capacity);
    gauge(BACKPRESSURE, "1 while the source is paused by a full backlog", backlog, paused);
    FunctionCounter.builder(BACKPRESSURE_SECONDS, backlog, pausedSeconds)
        .description("Total time the source spent paused by a full backlog")
        .register(registry);
  }

  public void tookOver() {
    takeovers.increment();
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void received(String label, String source) {
    received
        .computeIfAbsent(
            label + '\0' + source,
            k ->
                Counter.builder(RECEIVED)
                    .description(
                        "Events received (notifications or WAL messages), by configured channel entry")
                    .tag("channel", label)
                    .tag("source", source)
                    .register(registry))
        .increment();
  }

  public void published(String topic, long latencyNanos) {
    counter(published, PUBLISHED, "Records Kafka acknowledged, by topic", topic).increment();
    latency.record(Duration.ofNanos(latencyNanos));
  }

  public void failed(String topic) {
    counter(failed, FAILED, "Records Kafka refused for good, by topic", topic).increment();
  }

  public void abandoned(String topic) {
    counter(
            abandoned,
            ABANDONED,
            "Records given up at shutdown when the drain timed out, by topic",
            topic)
        .increment();
  }

  public void deadLettered(String originalTopic) {
    counter(
            deadLettered,
            DEAD_LETTERED,
            "Records written to a dead-letter topic, by intended topic",
            originalTopic)
        .increment();
  }

  public void retried() {
    retries.increment();
  }

  public void reconnected() {
    reconnects.increment();
  }

  public void gap(Duration length) {
    gaps.increment();
    gapDuration.record(length);
  }

  public void walExcluded(String exclusion) {
    walExcluded
        .computeIfAbsent(
            exclusion,
            e ->
                Counter.builder(WAL_EXCLUDED)
                    .description("wal mode: events skipped on purpose (ZGRES_WAL_EXCLUDE)")
                    .tag("channel", e)
                    .register(registry))
        .increment();
  }

  public void loopError(String component) {
    loopErrors
        .computeIfAbsent(
            component,
            c ->
                Counter.builder(LOOP_ERRORS)
                    .description("Errors caught in a background loop, which carried on")
                    .tag("component", c)
                    .register(registry))
        .increment();
  }

  private Counter counter(
      Map<String, Counter> cache, String name, String description, String topic) {
    return cache.computeIfAbsent(
        topic,
        t -> Counter.builder(name).description(description).tag("topic", t).register(registry));
  }
}
