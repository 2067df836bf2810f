package dev.zgres.consumers.gateway.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordFramesTest {
  private final ObjectMapper json = new ObjectMapper();
  private final RecordFrames frames = new RecordFrames(json, new ServerFrames(json.getFactory()));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsChannelIdsFromKeysAndRefusesAnythingElse() {
    assertThat(RecordFrames.channelId(utf8("42"))).isEqualTo(42);
    assertThat(RecordFrames.channelId(utf8("2147483647"))).isEqualTo(Integer.MAX_VALUE);
    assertThat(RecordFrames.channelId(utf8("2147483648"))).isEqualTo(-1);
    assertThat(RecordFrames.channelId(utf8("0"))).isEqualTo(-1);
    assertThat(RecordFrames.channelId(utf8("public.users"))).isEqualTo(-1);
    assertThat(RecordFrames.channelId(utf8("-3"))).isEqualTo(-1);
    assertThat(RecordFrames.channelId(null)).isEqualTo(-1);
  }

  @Test
  void wrapsAChatEventVerbatimInAMessageFrame() {
    String event = "{\"event\": \"message_created\", \"content\": \"hé\"}";
    WindowEntry e = frames.entry(7, "ep", 12, utf8(event));
    assertThat(new String(e.frame(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"message\",\"channel_id\":7,\"epoch\":\"ep\",\"offset\":12,\"event\":"
                + event
                + "}");
    assertThat(e.revokesUser()).isZero();
  }

  @Test
  void aRemovalFromAPrivateChannelRevokesButNotFromAPublicOne() {
    String removed =
        "{\"event\":\"member_removed\",\"channel_type\":\"private\",\"user_id\":5,\"removed_by\":1}";
    assertThat(frames.entry(7, "ep", 1, utf8(removed)).revokesUser()).isEqualTo(5);
    String left = "{\"event\":\"member_left\",\"channel_type\":\"public\",\"user_id\":5}";
    assertThat(frames.entry(7, "ep", 2, utf8(left)).revokesUser()).isZero();
  }

  @Test
  void aModerationVerdictBecomesAModerationFrame() {
    String verdict =
        "{\"event\":\"message_moderated\",\"message_id\":9,\"risk_level\":\"unsafe\",\"reasons\":[\"threat\"]}";
    assertThat(new String(frames.entry(7, "ep", 3, utf8(verdict)).frame(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"moderation\",\"channel_id\":7,\"epoch\":\"ep\",\"offset\":3,"
                + "\"message_id\":9,\"risk_level\":\"unsafe\",\"reasons\":[\"threat\"]}");
  }

  @Test
  void dropsValuesThatAreNotOneJsonObject() {
    assertThat(frames.entry(7, "ep", 1, utf8("not json"))).isNull();
    assertThat(frames.entry(7, "ep", 1, utf8("[1]"))).isNull();
    assertThat(frames.entry(7, "ep", 1, utf8("{\"a\":1}, \"injected\":2"))).isNull();
    assertThat(frames.entry(7, "ep", 1, null)).isNull();
  }
}
