package dev.zgres.consumers.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Every meter of the consumer loop, named and described in one place, each tagged with the consumer
 * group. Prometheus adds {@code _total} to counters and {@code _seconds} to timers.
 */
public final class ConsumerMeters {
  /** Records handled (or deliberately ignored), by topic. */
  public static final String HANDLED = "zgres.consumer.records.handled";

  /** Handling attempts that failed (transiently or for good), by topic. */
  public static final String FAILED = "zgres.consumer.records.failed";

  /** Attempts made again after a transient failure, by topic. */
  public static final String RETRIED = "zgres.consumer.records.retried";

  /** Records sent to their topic's dead-letter topic, by the topic they came from. */
  public static final String DEAD_LETTERED = "zgres.consumer.records.dead.lettered";

  /** Records dropped because their {@code zgres-event-id} was already handled. */
  public static final String DUPLICATES = "zgres.consumer.records.duplicates";

  /** Time to handle one record, retries included. */
  public static final String HANDLING = "zgres.consumer.handling";

  /** Records in a partition not yet read by this consumer, by topic and partition. */
  public static final String LAG = "zgres.consumer.lag";

  /** 1 while the loop polls Kafka, 0 when it has stopped or stalled. */
  public static final String POLLING = "zgres.consumer.polling";

  /** Errors caught in a background loop, by component; the loop carries on. */
  public static final String LOOP_ERRORS = "zgres.loop.errors";

  private static final String HANDLED_DESCRIPTION = "Records handled, by topic";
  private static final String FAILED_DESCRIPTION = "Handling attempts that failed, by topic";
  private static final String RETRIED_DESCRIPTION =
      "Attempts made again after a transient failure, by topic";
  private static final String DEAD_LETTERED_DESCRIPTION =
      "Records sent to the dead-letter topic, by source topic";

  private final MeterRegistry registry;
  private final String group;
  private final Timer handling;
  private final Counter duplicates;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();

  public ConsumerMeters(MeterRegistry registry, String group) {
    this.registry = registry;
    this.group = group;
    this.handling =
        Timer.builder(HANDLING)
            .description("Time to handle one record, retries included")
            .tag("group", group)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    this.duplicates =
        Counter.builder(DUPLICATES)
            .description("Records dropped because their zgres-event-id was already handled")
            .tag("group", group)
            .register(registry);
  }

  /**
   * Registers the per-topic counters of {@code topics} at 0, so that a dashboard shows a series
   * (and a rate of 0) before the first record fails or goes to the dead-letter topic.
   */
  public void registerTopics(List<String> topics) {
    for (String topic : topics) {
      counter(HANDLED, HANDLED_DESCRIPTION, topic);
      counter(FAILED, FAILED_DESCRIPTION, topic);
      counter(RETRIED, RETRIED_DESCRIPTION, topic);
      counter(DEAD_LETTERED, DEAD_LETTERED_DESCRIPTION, topic);
    }
  }

  /** Registers the polling gauge, read from {@code polling}. */
  public void bindPolling(Supplier<Boolean> polling) {
    Gauge.builder(POLLING, () -> polling.get() ? 1 : 0)
        .description("1 while the loop polls Kafka, 0 when it has stopped or stalled")
        .tag("group", group)
        .register(registry);
  }

  public void handled(String topic, long nanos) {
    counter(HANDLED, HANDLED_DESCRIPTION, topic).increment();
    handling.record(Duration.ofNanos(nanos));
  }

  public void failed(String topic) {
    counter(FAILED, FAILED_DESCRIPTION, topic).increment();
  }

  public void retried(String topic) {
    counter(RETRIED, RETRIED_DESCRIPTION, topic).increment();
  }

  public void deadLettered(String topic) {
    counter(DEAD_LETTERED, DEAD_LETTERED_DESCRIPTION, topic).increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void loopError(String component) {
    counters
        .computeIfAbsent(
            LOOP_ERRORS + '\0' + component,
            k ->
                Counter.builder(LOOP_ERRORS)
                    .description("Errors caught in a background loop, which carried on")
                    .tag("component", component)
                    .register(registry))
        .increment();
  }

  /** The lag of {@code partition} as the loop last saw it. */
  public void lag(TopicPartition partition, long records) {
    if (lag.put(partition, records) == null) {
      Gauge.builder(LAG, lag, m -> m.getOrDefault(partition, 0L))
          .description("Records in a partition not yet read by this consumer")
          .tag("group", group)
          .tag("topic", partition.topic())
          .tag("partition", String.valueOf(partition.partition()))
          .register(registry);
    }
  }

  private Counter counter(String name, String description, String topic) {
    return counters.computeIfAbsent(
        name + '\0' + topic,
        k ->
            Counter.builder(name)
                .description(description)
                .tag("group", group)
                .tag("topic", topic)
                .register(registry));
  }
}
