package dev.zgres.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

  private static ConfigException invalid(Map<String, String> values) {
    try {
      BridgeConfig.from(values);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for " + values);
  }

  @Test
  void defaultsMatchTheDesign() {
    BridgeConfig config = BridgeConfig.from(Map.of());
    assertThat(config.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(config.postgres().user()).isEqualTo("postgres");
    assertThat(config.postgres().password()).isEmpty();
    assertThat(config.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(config.source()).isEqualTo(SourceKind.NOTIFY);
    assertThat(config.channels().exact())
        .containsExactlyInAnyOrder("db_notifications", "websocket_event");
    assertThat(config.channels().patterns()).containsExactly("chat_message_*");
    assertThat(config.metricsPort()).isEqualTo(9464);
    assertThat(config.backlogCapacity()).isEqualTo(10_000);
    assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void everySettingHasAnEnvironmentVariableAFlagAndADescription() {
    assertThat(BridgeSettings.ALL)
        .allSatisfy(
            s -> {
              assertThat(s.env()).matches("ZGRES_[A-Z_]+");
              assertThat(s.flag()).matches("--[a-z-]+");
              assertThat(s.description()).isNotBlank();
            });
    assertThat(BridgeSettings.ALL).extracting(Setting::env).doesNotHaveDuplicates();
  }

  @Test
  void numbersOutOfRangeNameTheSettingTheRuleAndTheValue() {
    assertThat(invalid(Map.of("ZGRES_BACKLOG_CAPACITY", "0")).problems())
        .containsExactly("ZGRES_BACKLOG_CAPACITY must be between 1 and 10000000 (was 0)");
    assertThat(invalid(Map.of("ZGRES_METRICS_PORT", "70000")).problems())
        .containsExactly("ZGRES_METRICS_PORT must be between 0 and 65535 (was 70000)");
    assertThat(invalid(Map.of("ZGRES_PROBE_INTERVAL_MS", "fast")).problems())
        .containsExactly("ZGRES_PROBE_INTERVAL_MS must be a whole number (was fast)");
    assertThat(invalid(Map.of("ZGRES_RECONNECT_MAX_BACKOFF_MS", "5")).problems())
        .containsExactly("ZGRES_RECONNECT_MAX_BACKOFF_MS must be between 100 and 3600000 (was 5)");
    assertThat(invalid(Map.of("ZGRES_SHUTDOWN_TIMEOUT_MS", "-1")).problems())
        .containsExactly("ZGRES_SHUTDOWN_TIMEOUT_MS must be between 0 and 3600000 (was -1)");
  }

  @Test
  void textSettingsAreChecked() {
    assertThat(invalid(Map.of("ZGRES_PG_URL", "postgres://x")).problems())
        .containsExactly("ZGRES_PG_URL must start with jdbc:postgresql: (was postgres://x)");
    assertThat(invalid(Map.of("ZGRES_PG_URL", " ")).problems())
        .containsExactly("ZGRES_PG_URL must not be empty (was empty)");
    assertThat(invalid(Map.of("ZGRES_PG_USER", "")).problems())
        .containsExactly("ZGRES_PG_USER must not be empty (was empty)");
    assertThat(invalid(Map.of("ZGRES_KAFKA_BOOTSTRAP", "")).problems())
        .containsExactly("ZGRES_KAFKA_BOOTSTRAP must not be empty (was empty)");
    assertThat(invalid(Map.of("ZGRES_SOURCE", "kafka")).problems())
        .containsExactly("ZGRES_SOURCE must be one of notify, wal (was kafka)");
  }

  @Test
  void sourceNameIsOptionalAndLimitedToASafeAlphabet() {
    assertThat(BridgeConfig.from(Map.of()).sourceName()).isEmpty();
    assertThat(BridgeConfig.from(Map.of("ZGRES_SOURCE_NAME", "chat-p1")).sourceName())
        .isEqualTo("chat-p1");
    assertThat(invalid(Map.of("ZGRES_SOURCE_NAME", "p 1")).problems())
        .containsExactly(
            "ZGRES_SOURCE_NAME must be 1 to 64 letters, digits, '.', '_' or '-' (was p 1)");
    assertThat(invalid(Map.of("ZGRES_SOURCE_NAME", "p".repeat(65))).problems()).hasSize(1);
  }

  @Test
  void hostileOrMalformedChannelNamesAreRejectedWithTheReason() {
    assertThat(invalid(Map.of("ZGRES_CHANNELS", "a,,b")).problems())
        .singleElement()
        .asString()
        .startsWith(
            "ZGRES_CHANNELS entries must be channel names or * patterns; an entry must not be empty");
    String tooLong = "c".repeat(64);
    assertThat(invalid(Map.of("ZGRES_CHANNELS", tooLong)).problems())
        .singleElement()
        .asString()
        .contains("must be at most 63 bytes")
        .contains("was 64 bytes");
    assertThat(invalid(Map.of("ZGRES_CHANNELS", "ok,bad\nname")).problems())
        .singleElement()
        .asString()
        .contains("must not contain NUL or line breaks (was bad\\nname)");
  }

  @Test
  void channelsWithQuotesAndSpacesAreAcceptedBecauseTheyAreQuoted() {
    BridgeConfig config =
        BridgeConfig.from(Map.of("ZGRES_CHANNELS", "weird \"name\"; DROP TABLE x, plain"));
    assertThat(config.channels().exact())
        .containsExactlyInAnyOrder("weird \"name\"; DROP TABLE x", "plain");
  }

  @Test
  void patternsNeedADiscoveryQuery() {
    assertThat(invalid(Map.of("ZGRES_CHANNELS", "chat_*", "ZGRES_DISCOVERY_QUERY", " ")).problems())
        .containsExactly(
            "ZGRES_DISCOVERY_QUERY must be set when ZGRES_CHANNELS has * patterns (was empty)");
  }

  @Test
  void malformedRoutesAreRejected() {
    assertThat(invalid(Map.of("ZGRES_ROUTES", "orders=orders")).problems())
        .containsExactly(
            "ZGRES_ROUTES entries must look like pattern=topic|key (was orders=orders)");
    assertThat(invalid(Map.of("ZGRES_ROUTES", "orders=orders|{$.}")).problems())
        .singleElement()
        .asString()
        .startsWith("ZGRES_ROUTES route orders=orders|{$.}: template placeholders are");
    assertThat(invalid(Map.of("ZGRES_ROUTES", "orders=orders|{id")).problems())
        .singleElement()
        .asString()
        .contains("unclosed {");
  }

  @Test
  void producerPropertiesCannotWeakenTheDeliveryContract() {
    assertThat(invalid(Map.of("ZGRES_PRODUCER_PROPERTIES", "linger.ms=5,acks=1")).problems())
        .containsExactly("ZGRES_PRODUCER_PROPERTIES must not set acks, which zgres fixes");
    assertThat(invalid(Map.of("ZGRES_PRODUCER_PROPERTIES", "lingerms")).problems())
        .containsExactly(
            "ZGRES_PRODUCER_PROPERTIES entries must look like key=value (entry 1 does not)");
    assertThat(
            BridgeConfig.from(
                    Map.of("ZGRES_PRODUCER_PROPERTIES", "linger.ms=5, compression.type=lz4"))
                .producerProperties())
        .containsEntry("linger.ms", "5")
        .containsEntry("compression.type", "lz4");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> values = new HashMap<>();
    values.put("ZGRES_BACKLOG_CAPACITY", "0");
    values.put("ZGRES_SOURCE", "x");
    values.put("ZGRES_METRICS_PORT", "-1");
    assertThatThrownBy(() -> BridgeConfig.from(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ZGRES_BACKLOG_CAPACITY")
        .hasMessageContaining("ZGRES_SOURCE")
        .hasMessageContaining("ZGRES_METRICS_PORT");
    assertThat(invalid(values).problems()).hasSize(3);
  }
}
