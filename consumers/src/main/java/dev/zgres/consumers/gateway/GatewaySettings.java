package dev.zgres.consumers.gateway;

import dev.zgres.consumers.consume.ConsumerSettings;
import dev.zgres.runtime.kafka.KafkaProperties;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Rule;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Every setting of {@code bin/zgres gateway}, declared once, and the validated {@link
 * GatewayConfig} built from them. The secret (or the file named by {@code
 * ZGRES_GATEWAY_SECRET_FILE}) is required and never shown.
 */
public final class GatewaySettings {
  public static final Setting PORT =
      Setting.number(
          "ZGRES_GATEWAY_PORT",
          "--gateway-port",
          "8080",
          "the gateway's HTTP + WebSocket port (`/api/`, `/ws`, `/metrics`, `/health`)",
          0,
          65_535);
  public static final Setting SECRET =
      Setting.secret(
          "ZGRES_GATEWAY_SECRET",
          "--gateway-secret",
          "key that signs login tokens, at least 32 bytes; required (or `ZGRES_GATEWAY_SECRET_FILE`: a"
              + " file holding it)",
          new Rule.Any());
  public static final Setting TOKEN_TTL_S =
      Setting.number(
          "ZGRES_GATEWAY_TOKEN_TTL_S",
          "--gateway-token-ttl-s",
          "3600",
          "lifetime of a login token, in seconds",
          10,
          7 * 24 * 3600);
  public static final Setting SEND_QUEUE =
      Setting.number(
          "ZGRES_GATEWAY_SEND_QUEUE",
          "--gateway-send-queue",
          "1000",
          "frames one socket may have waiting before it is closed as too slow (4001)",
          2,
          1_000_000);
  public static final Setting SEND_QUEUE_BYTES =
      Setting.number(
          "ZGRES_GATEWAY_SEND_QUEUE_BYTES",
          "--gateway-send-queue-bytes",
          "1048576",
          "bytes one socket may have waiting before it is closed as too slow (4001)",
          65_536,
          Integer.MAX_VALUE);
  public static final Setting PRESENCE_TTL_S =
      Setting.number(
          "ZGRES_GATEWAY_PRESENCE_TTL_S",
          "--gateway-presence-ttl-s",
          "30",
          "how long a gateway's presence entries outlive it unless renewed, in seconds",
          3,
          3600);

  /** In the order of the README's table (the common ones are listed with every process). */
  public static final List<Setting> ALL =
      List.of(
          CommonSettings.PG_URL,
          CommonSettings.PG_USER,
          CommonSettings.PG_PASSWORD,
          CommonSettings.KAFKA_BOOTSTRAP,
          CommonSettings.METRICS_PORT,
          ConsumerSettings.CONSUMER_PROPERTIES,
          PORT,
          SECRET,
          TOKEN_TTL_S,
          SEND_QUEUE,
          SEND_QUEUE_BYTES,
          PRESENCE_TTL_S);

  /** Kafka client settings the gateway fixes: it assigns partitions itself, with no group. */
  private static final List<String> FIXED_KAFKA =
      List.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private GatewaySettings() {}

  /** The validated configuration; every problem is reported at once in a ConfigException. */
  public static GatewayConfig config(SettingValues values) {
    int port = values.integer(PORT);
    int metricsPort = values.integer(CommonSettings.METRICS_PORT);
    byte[] secret = values.string(SECRET).getBytes(StandardCharsets.UTF_8);
    if (secret.length == 0) {
      values.problem(SECRET, "(or " + SECRET.fileEnv() + ") is required by the gateway", "");
    } else if (secret.length < 32) {
      values.problem(SECRET, "must be at least 32 bytes", "");
    }
    int ttl = values.integer(TOKEN_TTL_S);
    int queue = values.integer(SEND_QUEUE);
    int queueBytes = values.integer(SEND_QUEUE_BYTES);
    int presenceTtl = values.integer(PRESENCE_TTL_S);
    var db = CommonSettings.postgres(values);
    String kafka = values.string(CommonSettings.KAFKA_BOOTSTRAP);
    Map<String, String> kafkaProperties =
        values.parsed(
            ConsumerSettings.CONSUMER_PROPERTIES,
            list -> KafkaProperties.parse(list, FIXED_KAFKA),
            Map.of());
    values.throwIfInvalid();
    GatewayConfig.Tuning defaults = GatewayConfig.Tuning.defaults();
    GatewayConfig.Tuning tuning =
        defaults
            .withTokenLifetime(Duration.ofSeconds(ttl), defaults.tokenGrace())
            .withSendQueue(queue, queueBytes)
            .withPresenceTtl(Duration.ofSeconds(presenceTtl));
    return new GatewayConfig(port, metricsPort, secret, db, kafka, tuning, kafkaProperties);
  }
}
