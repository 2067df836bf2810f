package dev.zgres.consumers.consume;

import dev.zgres.runtime.kafka.KafkaSettings;
import dev.zgres.runtime.settings.Rule;
import dev.zgres.runtime.settings.Setting;
import java.util.List;

/** The settings of the consumer loop, shared by every consumer process that runs one. */
public final class ConsumerSettings {
  public static final Setting CONSUMER_PROPERTIES =
      Setting.secret(
          "ZGRES_CONSUMER_PROPERTIES",
          "--consumer-properties",
          "consumers: extra Kafka consumer settings (TLS, SASL, tuning), `key=value` separated by `,`,"
              + " or one per line in `ZGRES_CONSUMER_PROPERTIES_FILE` (group, offsets and deserializers"
              + " stay fixed); secret: never printed",
          new Rule.Any());
  public static final Setting MAX_ATTEMPTS =
      Setting.number(
          "ZGRES_MAX_ATTEMPTS",
          "--max-attempts",
          "5",
          "consumers: attempts at a record that fails transiently before it goes to `<topic>.dlq`",
          1,
          1_000);
  public static final Setting RETRY_BACKOFF_MS =
      Setting.number(
          "ZGRES_RETRY_BACKOFF_MS",
          "--retry-backoff-ms",
          "200",
          "consumers: wait after a record's first failed attempt; doubles after each one",
          0,
          600_000);
  public static final Setting RETRY_MAX_BACKOFF_MS =
      Setting.number(
          "ZGRES_RETRY_MAX_BACKOFF_MS",
          "--retry-max-backoff-ms",
          "10000",
          "consumers: longest wait between attempts at a record",
          0,
          3_600_000);
  public static final Setting DEDUP_WINDOW =
      Setting.number(
          "ZGRES_DEDUP_WINDOW",
          "--dedup-window",
          "100000",
          "consumers: how many recent `zgres-event-id`s are remembered to drop re-delivered records",
          0,
          10_000_000);

  /** Every consumer process also produces (its dead letters), with these settings. */
  public static final Setting PRODUCER_PROPERTIES = KafkaSettings.PRODUCER_PROPERTIES;

  public static final List<Setting> ALL =
      List.of(
          CONSUMER_PROPERTIES,
          PRODUCER_PROPERTIES,
          MAX_ATTEMPTS,
          RETRY_BACKOFF_MS,
          RETRY_MAX_BACKOFF_MS,
          DEDUP_WINDOW);

  private ConsumerSettings() {}
}
