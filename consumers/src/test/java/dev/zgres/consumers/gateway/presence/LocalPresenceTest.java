package dev.zgres.consumers.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalPresenceTest {
  @Test
  void reportsOnlyTheFirstConnectAndTheLastDisconnectOfAUser() {
    LocalPresence presence = new LocalPresence();
    assertThat(presence.connected(1)).isTrue();
    assertThat(presence.connected(1)).isFalse();
    assertThat(presence.connected(2)).isTrue();
    assertThat(presence.userCount()).isEqualTo(2);
    assertThat(presence.disconnected(1)).isFalse();
    assertThat(presence.disconnected(1)).isTrue();
    assertThat(presence.disconnected(1)).isFalse();
    assertThat(presence.users()).containsExactly(2);
  }
}
