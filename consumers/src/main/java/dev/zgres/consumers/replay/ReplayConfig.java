package dev.zgres.consumers.replay;

import dev.zgres.consumers.consume.ConsumerSettings;
import dev.zgres.runtime.kafka.KafkaProperties;
import dev.zgres.runtime.kafka.KafkaSettings;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The replay command's configuration: where Kafka is, the user's extra client settings, and what to
 * replay.
 */
public record ReplayConfig(
    String bootstrap,
    Map<String, String> consumerProperties,
    Map<String, String> producerProperties,
    ReplayRequest request) {

  /** The settings the replay command reads (besides its own options). */
  public static final List<Setting> SETTINGS =
      List.of(
          CommonSettings.KAFKA_BOOTSTRAP,
          ConsumerSettings.CONSUMER_PROPERTIES,
          KafkaSettings.PRODUCER_PROPERTIES);

  /** Consumer settings the replay fixes: it reads assigned partitions, with no group. */
  static final List<String> FIXED_CONSUMER =
      List.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG);

  public ReplayConfig {
    consumerProperties = Map.copyOf(consumerProperties);
    producerProperties = Map.copyOf(producerProperties);
  }

  /**
   * Reads the settings; problems are collected in {@code values} and thrown, with the request's,
   * all at once by the caller ({@link SettingValues#throwIfInvalid}).
   */
  public static ReplayConfig from(SettingValues values, ReplayRequest request) {
    return new ReplayConfig(
        values.string(CommonSettings.KAFKA_BOOTSTRAP),
        values.parsed(
            ConsumerSettings.CONSUMER_PROPERTIES,
            list -> KafkaProperties.parse(list, FIXED_CONSUMER),
            Map.of()),
        values.parsed(
            KafkaSettings.PRODUCER_PROPERTIES,
            list -> KafkaProperties.parse(list, ProducerContract.FIXED),
            Map.of()),
        request);
  }
}
