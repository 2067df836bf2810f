package dev.zgres.consumers.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.resume.Position;
import org.junit.jupiter.api.Test;

class FrameParserTest {
  private final FrameParser parser = new FrameParser(new ObjectMapper());

  private ClientFrame valid(String text) {
    ParseResult r = parser.parse(text);
    assertThat(r).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid) r).frame();
  }

  private ParseResult.Invalid invalid(String text) {
    ParseResult r = parser.parse(text);
    assertThat(r).isInstanceOf(ParseResult.Invalid.class);
    return (ParseResult.Invalid) r;
  }

  @Test
  void readsEveryClientFrameType() {
    assertThat(valid("{\"type\":\"auth\",\"token\":\"t\"}"))
        .isEqualTo(new ClientFrame.Auth(null, "t"));
    assertThat(valid("{\"type\":\"subscribe\",\"channel_id\":7,\"id\":\"a\"}"))
        .isEqualTo(new ClientFrame.Subscribe("\"a\"", 7, null));
    assertThat(
            valid(
                "{\"type\":\"subscribe\",\"channel_id\":7,\"since\":{\"epoch\":\"e1\",\"offset\":41}}"))
        .isEqualTo(new ClientFrame.Subscribe(null, 7, new Position("e1", 41)));
    assertThat(valid("{\"type\":\"unsubscribe\",\"channel_id\":7,\"id\":3}"))
        .isEqualTo(new ClientFrame.Unsubscribe("3", 7));
    assertThat(valid("{\"type\":\"send\",\"channel_id\":7,\"content\":\"hi\"}"))
        .isEqualTo(new ClientFrame.Send(null, 7, "hi"));
    assertThat(valid("{\"type\":\"typing\",\"channel_id\":7,\"is_typing\":true}"))
        .isEqualTo(new ClientFrame.Typing(null, 7, true));
    assertThat(valid("{\"type\":\"refresh\",\"token\":\"u\"}"))
        .isEqualTo(new ClientFrame.Refresh(null, "u"));
    assertThat(valid("{\"type\":\"pong\"}")).isEqualTo(new ClientFrame.Pong(null));
  }

  @Test
  void refusesTextThatIsNotAJsonObjectWithAType() {
    assertThat(invalid("not json").code()).isEqualTo(ErrorCodes.MALFORMED);
    assertThat(invalid("[1,2]").code()).isEqualTo(ErrorCodes.MALFORMED);
    assertThat(invalid("{\"type\":5}").code()).isEqualTo(ErrorCodes.MALFORMED);
    assertThat(invalid("").code()).isEqualTo(ErrorCodes.MALFORMED);
  }

  @Test
  void refusesUnknownTypesKeepingTheRequestId() {
    ParseResult.Invalid r = invalid("{\"type\":\"shout\",\"id\":\"x1\"}");
    assertThat(r.code()).isEqualTo(ErrorCodes.UNKNOWN_TYPE);
    assertThat(r.id()).isEqualTo("\"x1\"");
  }

  @Test
  void refusesBadFieldsNamingTheFieldWithoutEchoingInput() {
    ParseResult.Invalid r = invalid("{\"type\":\"subscribe\",\"channel_id\":\"<script>\"}");
    assertThat(r.code()).isEqualTo(ErrorCodes.INVALID);
    assertThat(r.message()).isEqualTo("channel_id must be a positive integer").doesNotContain("<");
    assertThat(invalid("{\"type\":\"subscribe\",\"channel_id\":0}").code())
        .isEqualTo(ErrorCodes.INVALID);
    assertThat(invalid("{\"type\":\"send\",\"channel_id\":1}").message())
        .isEqualTo("content must be a string");
    assertThat(invalid("{\"type\":\"typing\",\"channel_id\":1,\"is_typing\":\"yes\"}").message())
        .isEqualTo("is_typing must be true or false");
    assertThat(invalid("{\"type\":\"auth\"}").message())
        .isEqualTo("token must be a non-empty string");
    assertThat(
            invalid("{\"type\":\"subscribe\",\"channel_id\":1,\"since\":{\"epoch\":\"e\"}}")
                .message())
        .startsWith("since must be");
    assertThat(invalid("{\"type\":\"pong\",\"id\":{\"a\":1}}").message()).startsWith("id must be");
  }

  @Test
  void refusesFramesOverTheSizeLimit() {
    String big =
        "{\"type\":\"send\",\"channel_id\":1,\"content\":\""
            + "é".repeat(CloseCodes.MAX_FRAME_BYTES / 2)
            + "\"}";
    assertThat(invalid(big).code()).isEqualTo(ErrorCodes.TOO_LARGE);
  }
}
