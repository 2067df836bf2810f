package dev.zgres.consumers.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.SettingValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySettingsTest {
  private static final String SECRET = "a secret of at least thirty-two bytes!";

  private static GatewayConfig config(Map<String, String> env) {
    return GatewaySettings.config(new SettingValues(env));
  }

  @Test
  void refusesToStartWithoutASecret() {
    assertThatThrownBy(() -> config(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "ZGRES_GATEWAY_SECRET (or ZGRES_GATEWAY_SECRET_FILE) is required by the gateway (was hidden)");
  }

  @Test
  void refusesAShortSecretWithoutPrintingIt() {
    assertThatThrownBy(() -> config(Map.of("ZGRES_GATEWAY_SECRET", "hunter2")))
        .hasMessageContaining("ZGRES_GATEWAY_SECRET must be at least 32 bytes (was hidden)")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void readsTheSecretFromAFileAndNeverShowsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    GatewayConfig config =
        config(Map.of("ZGRES_GATEWAY_SECRET_FILE", file.toString(), "ZGRES_GATEWAY_PORT", "9000"));
    assertThat(new String(config.secret(), StandardCharsets.UTF_8)).isEqualTo(SECRET);
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.toString()).doesNotContain(SECRET).contains("secret=(hidden)");
  }

  @Test
  void takesKafkaClientSettingsForItsReaderWithoutShowingTheirValues() {
    GatewayConfig config =
        config(
            Map.of(
                "ZGRES_GATEWAY_SECRET",
                SECRET,
                "ZGRES_CONSUMER_PROPERTIES",
                "security.protocol=SASL_SSL,sasl.jaas.config=pw-42"));
    assertThat(config.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "pw-42");
    assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("pw-42");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "ZGRES_GATEWAY_SECRET", SECRET, "ZGRES_CONSUMER_PROPERTIES", "group.id=x")))
        .hasMessageContaining("ZGRES_CONSUMER_PROPERTIES must not set group.id");
  }

  @Test
  void reportsEveryBadSettingAtOnce() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "ZGRES_GATEWAY_SECRET", SECRET,
                        "ZGRES_GATEWAY_PORT", "70000",
                        "ZGRES_GATEWAY_SEND_QUEUE", "1")))
        .hasMessageContaining("ZGRES_GATEWAY_PORT must be between 0 and 65535 (was 70000)")
        .hasMessageContaining("ZGRES_GATEWAY_SEND_QUEUE must be between 2 and 1000000 (was 1)");
  }
}
