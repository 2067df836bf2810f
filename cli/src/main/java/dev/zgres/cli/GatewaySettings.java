package dev.zgres.cli;

import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.config.Setting;
import dev.zgres.bridge.config.SettingValues;
import dev.zgres.consumers.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of {@code bin/zgres gateway}, declared once, and the validated {@link
 * GatewayConfig} built from them. The secret's value is never part of a message.
 */
final class GatewaySettings {
  static final Setting PORT =
      new Setting(
          "ZGRES_GATEWAY_PORT",
          "--gateway-port",
          "8080",
          "the gateway's HTTP + WebSocket port (`/api/`, `/ws`, `/metrics`, `/health`)");
  static final Setting SECRET =
      new Setting(
          "ZGRES_GATEWAY_SECRET",
          "--gateway-secret",
          "",
          "key that signs login tokens, at least 32 bytes; required (or the `_FILE` variant)");
  static final Setting SECRET_FILE =
      new Setting(
          "ZGRES_GATEWAY_SECRET_FILE",
          "--gateway-secret-file",
          "",
          "file holding the token key (trailing newline ignored)");
  static final Setting TOKEN_TTL_S =
      new Setting(
          "ZGRES_GATEWAY_TOKEN_TTL_S",
          "--gateway-token-ttl-s",
          "3600",
          "lifetime of a login token, in seconds");
  static final Setting SEND_QUEUE =
      new Setting(
          "ZGRES_GATEWAY_SEND_QUEUE",
          "--gateway-send-queue",
          "1000",
          "frames one socket may have waiting before it is closed as too slow (4001)");
  static final Setting SEND_QUEUE_BYTES =
      new Setting(
          "ZGRES_GATEWAY_SEND_QUEUE_BYTES",
          "--gateway-send-queue-bytes",
          "1048576",
          "bytes one socket may have waiting before it is closed as too slow (4001)");
  static final Setting PRESENCE_TTL_S =
      new Setting(
          "ZGRES_GATEWAY_PRESENCE_TTL_S",
          "--gateway-presence-ttl-s",
          "30",
          "how long a gateway's presence entries outlive it unless renewed, in seconds");

  static final List<Setting> ALL =
      List.of(
          BridgeSettings.PG_URL,
          BridgeSettings.PG_USER,
          BridgeSettings.PG_PASSWORD,
          BridgeSettings.KAFKA_BOOTSTRAP,
          PORT,
          SECRET,
          SECRET_FILE,
          TOKEN_TTL_S,
          SEND_QUEUE,
          SEND_QUEUE_BYTES,
          PRESENCE_TTL_S);

  private GatewaySettings() {}

  static GatewayConfig config(SettingValues values) {
    int port = values.integer(PORT, 0, 65535);
    byte[] secret = secret(values);
    int ttl = values.integer(TOKEN_TTL_S, 10, 7 * 24 * 3600);
    int queue = values.integer(SEND_QUEUE, 2, 1_000_000);
    int queueBytes = values.integer(SEND_QUEUE_BYTES, 65_536, Integer.MAX_VALUE);
    int presenceTtl = values.integer(PRESENCE_TTL_S, 3, 3600);
    String pgUrl = values.nonBlank(BridgeSettings.PG_URL);
    String kafka = values.nonBlank(BridgeSettings.KAFKA_BOOTSTRAP);
    values.throwIfInvalid();
    GatewayConfig.Tuning tuning =
        GatewayConfig.Tuning.defaults()
            .withTokenLifetime(
                Duration.ofSeconds(ttl), GatewayConfig.Tuning.defaults().tokenGrace())
            .withSendQueue(queue, queueBytes)
            .withPresenceTtl(Duration.ofSeconds(presenceTtl));
    return new GatewayConfig(
        port,
        secret,
        pgUrl,
        values.string(BridgeSettings.PG_USER),
        values.string(BridgeSettings.PG_PASSWORD),
        kafka,
        tuning);
  }

  private static byte[] secret(SettingValues values) {
    String inline = values.string(SECRET);
    String file = values.string(SECRET_FILE);
    byte[] secret = null;
    if (!inline.isEmpty() && !file.isEmpty()) {
      values.problem(SECRET, "and " + SECRET_FILE.env() + " must not both be set", "both");
    } else if (!file.isEmpty()) {
      try {
        secret = Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        values.problem(SECRET_FILE, "must name a readable file", file);
        return new byte[32];
      }
    } else if (!inline.isEmpty()) {
      secret = inline.getBytes(StandardCharsets.UTF_8);
    } else {
      values.problem(SECRET, "or " + SECRET_FILE.env() + " is required by the gateway", "");
    }
    if (secret != null && secret.length < 32) {
      values.problem(
          file.isEmpty() ? SECRET : SECRET_FILE,
          "must be at least 32 bytes",
          secret.length + " bytes");
    }
    return secret == null || secret.length < 32 ? new byte[32] : secret;
  }
}
