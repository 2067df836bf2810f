package dev.zgres.consumers.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.settings.ConfigException;
import java.time.Instant;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class ReplayRequestTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static ReplayRequest.Options options(
      String topic, String key, Integer channel, String since, String until) {
    return new ReplayRequest.Options(topic, key, channel, since, until, null, false);
  }

  @Test
  void boundsAreOffsetsIsoTimesOrRelativeTimes() {
    assertThat(ReplayBound.parse("42", NOW)).isEqualTo(new ReplayBound.AtOffset(42));
    assertThat(ReplayBound.parse("-15m", NOW))
        .isEqualTo(new ReplayBound.AtTime(Instant.parse("2026-12-01T11:45:00Z")));
    assertThat(ReplayBound.parse("-2d", NOW))
        .isEqualTo(new ReplayBound.AtTime(Instant.parse("2026-11-29T12:00:00Z")));
    assertThat(ReplayBound.parse("2026-12-01T18:00:00+01:00", NOW))
        .isEqualTo(new ReplayBound.AtTime(Instant.parse("2026-12-01T17:00:00Z")));
    assertThat(ReplayBound.parse("2026-12-01T17:00", NOW))
        .isEqualTo(new ReplayBound.AtTime(Instant.parse("2026-12-01T17:00:00Z")));
    assertThat(ReplayBound.parse("2026-12-01", NOW))
        .isEqualTo(new ReplayBound.AtTime(Instant.parse("2026-12-01T00:00:00Z")));
    assertThat(ReplayBound.parse(null, NOW)).isEqualTo(new ReplayBound.Open());
  }

  @Test
  void aChannelIdIsItsKeyOnChatMessages() {
    ReplayRequest r = ReplayRequest.from(options(null, null, 7, null, null), NOW);
    assertThat(r.topic()).isEqualTo("chat.messages");
    assertThat(r.key()).isEqualTo("7");
  }

  @Test
  void everyBadArgumentIsReportedAtOnceNamingItsOption() {
    assertThatThrownBy(
            () ->
                ReplayRequest.from(
                    options("chat.messages", "7", 7, "2026-12-01T12:00:00Z", "yesterday"), NOW))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), InstanceOfAssertFactories.LIST)
        .containsExactly(
            "--key and --channel-id cannot be used together (--channel-id N is --key N on"
                + " chat.messages)",
            "--until must be an offset (a whole number), an ISO-8601 time (2026-12-01T17:00:00Z)"
                + " or a time relative to now (-15m; units ms, s, m, h, d) (was yesterday)");
  }

  @Test
  void sinceAfterUntilIsRefused() {
    assertThatThrownBy(() -> ReplayRequest.from(options("t", null, null, "-5m", "-10m"), NOW))
        .hasMessageContaining(
            "--since (2026-12-01T11:55:00Z) is after --until (2026-12-01T11:50:00Z)");
    assertThatThrownBy(() -> ReplayRequest.from(options("t", null, null, "9", "3"), NOW))
        .hasMessageContaining("--since (offset 9) is after --until (offset 3)");
  }

  @Test
  void targetsAreCheckedAgainstTheTopic() {
    assertThatThrownBy(
            () ->
                ReplayRequest.from(
                    new ReplayRequest.Options("t", null, null, null, null, null, true), NOW))
        .hasMessageContaining("--to-original re-drives a dead-letter topic (*.dlq), not t");
    assertThatThrownBy(
            () ->
                ReplayRequest.from(
                    new ReplayRequest.Options("t", null, null, null, null, "t", false), NOW))
        .hasMessageContaining("--to-topic must differ from --topic (was t)");
    assertThatThrownBy(() -> ReplayRequest.from(options(null, null, null, null, null), NOW))
        .hasMessageContaining("--topic is required");
  }
}
