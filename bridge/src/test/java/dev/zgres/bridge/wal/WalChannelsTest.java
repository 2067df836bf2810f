package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.channel.ChannelSelector;
import dev.zgres.bridge.metrics.BridgeMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WalChannelsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BridgeMeters meters = new BridgeMeters(registry, "wal");

  @Test
  void carriesChannelsNoSettingListsLabellingThemByTheConfiguredEntryOrStar() {
    WalChannels channels =
        new WalChannels(
            ChannelSelector.parse("orders,chat_message_*"), ChannelSelector.none(), meters);
    assertThat(channels.labelFor("chat_message_7")).contains("chat_message_*");
    assertThat(channels.labelFor("orders")).contains("orders");
    assertThat(channels.labelFor("never_configured")).contains("*");
    assertThat(channels.carriedCount()).isEqualTo(3);
    assertThat(registry.find(BridgeMeters.WAL_EXCLUDED).counters()).isEmpty();
  }

  @Test
  void skipsOnlyExcludedChannelsAndCountsEachSkipByItsExclusionEntry() {
    WalChannels channels =
        new WalChannels(
            ChannelSelector.parse("db_notifications"),
            ChannelSelector.parse("noisy_*,debug"),
            meters);
    assertThat(channels.labelFor("noisy_1")).isEmpty();
    assertThat(channels.labelFor("noisy_2")).isEmpty();
    assertThat(channels.labelFor("noisy_1")).isEmpty();
    assertThat(channels.labelFor("debug")).isEmpty();
    assertThat(channels.labelFor("debugging")).contains("*");
    assertThat(registry.get(BridgeMeters.WAL_EXCLUDED).tag("channel", "noisy_*").counter().count())
        .isEqualTo(3.0);
    assertThat(registry.get(BridgeMeters.WAL_EXCLUDED).tag("channel", "debug").counter().count())
        .isEqualTo(1.0);
    assertThat(channels.carriedCount()).isEqualTo(1);
  }
}
