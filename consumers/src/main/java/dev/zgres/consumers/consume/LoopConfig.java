package dev.zgres.consumers.consume;

import dev.zgres.runtime.kafka.KafkaProperties;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.SettingValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * One consumer loop's configuration: where Kafka is, the group and topics, retries, the duplicate
 * window and how long a shutdown may take.
 *
 * @param topics the topics to read; an entry starting with {@code ~} is a regular expression that
 *     subscribes to every matching topic, those created later included
 * @param consumerProperties a user's extra consumer settings (never the fixed ones)
 */
public record LoopConfig(
    String bootstrap,
    String group,
    List<String> topics,
    Map<String, String> consumerProperties,
    RetryPolicy retry,
    int dedupWindow,
    Duration shutdownTimeout) {

  /** Consumer settings a user may not override: they are the loop's delivery contract. */
  public static final List<String> FIXED =
      List.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);

  public LoopConfig {
    topics = List.copyOf(topics);
    consumerProperties = Map.copyOf(consumerProperties);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a consumer loop needs at least one topic");
    }
  }

  /** The pattern of a {@code ~regex} topics entry, or null when the topics are names. */
  public Pattern topicPattern() {
    return topics.size() == 1 && topics.getFirst().startsWith("~")
        ? Pattern.compile(topics.getFirst().substring(1))
        : null;
  }

  /**
   * Reads the loop's settings ({@link ConsumerSettings} and the common Kafka and shutdown ones);
   * problems are collected in {@code values}, whose caller throws them all at once.
   */
  public static LoopConfig from(SettingValues values, String group, List<String> topics) {
    String bootstrap = values.string(CommonSettings.KAFKA_BOOTSTRAP);
    Map<String, String> properties =
        values.parsed(
            ConsumerSettings.CONSUMER_PROPERTIES,
            list -> KafkaProperties.parse(list, FIXED),
            Map.of());
    int attempts = values.integer(ConsumerSettings.MAX_ATTEMPTS);
    Duration backoff = values.millis(ConsumerSettings.RETRY_BACKOFF_MS);
    Duration maxBackoff = values.millis(ConsumerSettings.RETRY_MAX_BACKOFF_MS);
    if (maxBackoff.compareTo(backoff) < 0) {
      values.problem(
          ConsumerSettings.RETRY_MAX_BACKOFF_MS,
          "must be at least ZGRES_RETRY_BACKOFF_MS (" + backoff.toMillis() + ")",
          String.valueOf(maxBackoff.toMillis()));
      maxBackoff = backoff;
    }
    return new LoopConfig(
        bootstrap,
        group,
        topics,
        properties,
        new RetryPolicy(Math.max(1, attempts), backoff, maxBackoff),
        values.integer(ConsumerSettings.DEDUP_WINDOW),
        values.millis(CommonSettings.SHUTDOWN_TIMEOUT_MS));
  }
}
