package dev.zgres.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.settings.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalSettingsTest {

  @Test
  void defaultsNameTheSlotAndPublication() {
    BridgeConfig config = BridgeConfig.from(Map.of());
    assertThat(config.slot()).isEqualTo("zgres_slot");
    assertThat(config.publication()).isEqualTo("zgres_pub");
    assertThat(config.slotLagWarnBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(config.standbyRetry()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsSlotNamesPostgresWouldRefuseNamingTheSetting() {
    assertThatThrownBy(() -> BridgeConfig.from(Map.of("ZGRES_SLOT", "Bad-Slot")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ZGRES_SLOT must be 1 to 63 lowercase letters, digits or underscores")
        .hasMessageContaining("(was Bad-Slot)");
  }

  @Test
  void rejectsPublicationNamesThatCannotBeQuotedIntoTheStartCommand() {
    assertThatThrownBy(() -> BridgeConfig.from(Map.of("ZGRES_PUBLICATION", "pub'); DROP")))
        .hasMessageContaining(
            "ZGRES_PUBLICATION must be 1 to 63 letters, digits or underscores (was pub'); DROP)");
  }

  @Test
  void rejectsOutOfRangeLagThresholdAndStandbyRetry() {
    assertThatThrownBy(
            () ->
                BridgeConfig.from(
                    Map.of("ZGRES_SLOT_LAG_WARN_MB", "0", "ZGRES_STANDBY_RETRY_MS", "5")))
        .hasMessageContaining("ZGRES_SLOT_LAG_WARN_MB must be at least 1 (was 0)")
        .hasMessageContaining("ZGRES_STANDBY_RETRY_MS must be between 100 and 60000 (was 5)");
  }
}
