package dev.zgres.consumers.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFramesTest {
  private final ServerFrames frames = new ServerFrames(new JsonFactory());

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  @Test
  void splicesTheChatEventVerbatimIntoTheMessageFrame() {
    String event = "{\"event\": \"message_created\", \"content\": \"a \\\"quoted\\\" é\"}";
    assertThat(text(frames.message(7, "ep", 41, event)))
        .isEqualTo(
            "{\"type\":\"message\",\"channel_id\":7,\"epoch\":\"ep\",\"offset\":41,\"event\":"
                + event
                + "}");
  }

  @Test
  void echoesTheRequestIdAsTheClientSentIt() {
    assertThat(text(frames.sent("\"req-1\"", 12)))
        .isEqualTo("{\"type\":\"sent\",\"id\":\"req-1\",\"message_id\":12}");
    assertThat(text(frames.error("9", "forbidden", "no \"access\"")))
        .isEqualTo(
            "{\"type\":\"error\",\"id\":9,\"code\":\"forbidden\",\"message\":\"no \\\"access\\\"\"}");
  }

  @Test
  void writesTheOtherFramesInTheDesignShape() {
    assertThat(text(frames.authOk(null, 3, Instant.parse("2026-01-01T00:00:00Z"))))
        .isEqualTo("{\"type\":\"auth_ok\",\"user_id\":3,\"expires_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(text(frames.subscribed(null, 7, "ep", 5, true)))
        .isEqualTo(
            "{\"type\":\"subscribed\",\"channel_id\":7,\"epoch\":\"ep\",\"offset\":5,\"recovered\":true}");
    assertThat(text(frames.refetch(null, 7, "records_gone")))
        .isEqualTo("{\"type\":\"refetch\",\"channel_id\":7,\"reason\":\"records_gone\"}");
    assertThat(text(frames.typing(7, 3, false)))
        .isEqualTo("{\"type\":\"typing\",\"channel_id\":7,\"user_id\":3,\"is_typing\":false}");
    assertThat(text(frames.typing(7, 3, true)))
        .isEqualTo(
            "{\"type\":\"typing\",\"channel_id\":7,\"user_id\":3,\"is_typing\":true,\"expires_in_ms\":6000}");
    assertThat(text(frames.presence(3, "online")))
        .isEqualTo("{\"type\":\"presence\",\"user_id\":3,\"status\":\"online\"}");
    assertThat(text(frames.moderation(7, "ep", 9, 12, "unsafe", List.of("spam"))))
        .isEqualTo(
            "{\"type\":\"moderation\",\"channel_id\":7,\"epoch\":\"ep\",\"offset\":9,"
                + "\"message_id\":12,\"risk_level\":\"unsafe\",\"reasons\":[\"spam\"]}");
  }
}
