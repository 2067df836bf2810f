package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.runtime.settings.CommonSettings;
import org.junit.jupiter.api.Test;

class ZgresMainTest {
  @Test
  void settingsOfACommandAreTheDeclarationsItsOptionsWereBuiltFrom() {
    assertThat(ZgresMain.settingsOf("bridge")).contains(BridgeSettings.ALL);
    assertThat(ZgresMain.settingsOf("migrate")).contains(MigrateCommand.SETTINGS);
    assertThat(MigrateCommand.SETTINGS).containsAll(CommonSettings.POSTGRES);
  }

  @Test
  void settingsOfACommandThisBuildLacksAreEmpty() {
    assertThat(ZgresMain.settingsOf("no-such-command")).isEmpty();
    assertThat(ZgresMain.settingsOf("demo")).hasValueSatisfying(s -> assertThat(s).isEmpty());
  }
}
