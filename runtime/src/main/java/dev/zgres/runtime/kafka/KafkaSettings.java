package dev.zgres.runtime.kafka;

import dev.zgres.runtime.settings.Rule;
import dev.zgres.runtime.settings.Setting;

/**
 * The extra Kafka client settings every producing process reads. They carry TLS and SASL secrets,
 * so they are secret settings: also read from {@code ZGRES_PRODUCER_PROPERTIES_FILE} (one {@code
 * key=value} per line), never printed.
 */
public final class KafkaSettings {
  public static final Setting PRODUCER_PROPERTIES =
      Setting.secret(
          "ZGRES_PRODUCER_PROPERTIES",
          "--producer-properties",
          "extra Kafka producer settings (TLS, SASL, tuning), `key=value` separated by `,`, or one per"
              + " line in `ZGRES_PRODUCER_PROPERTIES_FILE` (acks and idempotence stay fixed); secret:"
              + " never printed",
          new Rule.Any());

  private KafkaSettings() {}
}
