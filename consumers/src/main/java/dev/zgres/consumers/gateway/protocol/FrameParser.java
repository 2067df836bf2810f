package dev.zgres.consumers.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.resume.Position;
import java.nio.charset.StandardCharsets;

/**
 * Reads one client text frame into a {@link ClientFrame}, or says why it is refused. Never throws
 * on client input; the messages it returns name the field and never echo the client's text.
 *
 * <p>The request {@code id}, when present, must be a string (at most 128 characters) or an integer;
 * it is kept as JSON text so that the reply echoes it exactly.
 */
public final class FrameParser {
  private static final int MAX_ID_CHARS = 128;
  private static final int MAX_TOKEN_CHARS = 4096;
  private final ObjectMapper json;

  public FrameParser(ObjectMapper json) {
    this.json = json;
  }

  public ParseResult parse(String text) {
    if (text.length() > CloseCodes.MAX_FRAME_BYTES
        || text.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_FRAME_BYTES) {
      return invalid(
          ErrorCodes.TOO_LARGE,
          "frames are limited to " + CloseCodes.MAX_FRAME_BYTES + " bytes",
          null);
    }
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      return invalid(ErrorCodes.MALFORMED, "the frame is not valid JSON", null);
    }
    if (root == null || !root.isObject()) {
      return invalid(ErrorCodes.MALFORMED, "the frame must be a JSON object", null);
    }
    JsonNode idNode = root.get("id");
    String id = null;
    if (idNode != null && !idNode.isNull()) {
      if (idNode.isTextual() && idNode.textValue().length() <= MAX_ID_CHARS
          || idNode.isIntegralNumber() && idNode.canConvertToLong()) {
        id = idNode.toString();
      } else {
        return invalid(
            ErrorCodes.INVALID,
            "id must be a string of at most " + MAX_ID_CHARS + " characters or an integer",
            null);
      }
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      return invalid(ErrorCodes.MALFORMED, "the frame must have a string \"type\"", id);
    }
    try {
      return new ParseResult.Valid(frame(type.textValue(), root, id));
    } catch (FieldException e) {
      return invalid(e.code, e.getMessage(), id);
    }
  }

  private static ClientFrame frame(String type, JsonNode root, String id) throws FieldException {
    return switch (type) {
      case "auth" -> new ClientFrame.Auth(id, token(root));
      case "refresh" -> new ClientFrame.Refresh(id, token(root));
      case "subscribe" -> new ClientFrame.Subscribe(id, channelId(root), since(root));
      case "unsubscribe" -> new ClientFrame.Unsubscribe(id, channelId(root));
      case "send" -> new ClientFrame.Send(id, channelId(root), content(root));
      case "typing" -> new ClientFrame.Typing(id, channelId(root), bool(root, "is_typing"));
      case "pong" -> new ClientFrame.Pong(id);
      default -> throw new FieldException(ErrorCodes.UNKNOWN_TYPE, "unknown frame type");
    };
  }

  private static String token(JsonNode root) throws FieldException {
    JsonNode token = root.get("token");
    if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
      throw new FieldException(ErrorCodes.INVALID, "token must be a non-empty string");
    }
    if (token.textValue().length() > MAX_TOKEN_CHARS) {
      throw new FieldException(
          ErrorCodes.INVALID, "token must be at most " + MAX_TOKEN_CHARS + " characters");
    }
    return token.textValue();
  }

  private static int channelId(JsonNode root) throws FieldException {
    JsonNode id = root.get("channel_id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 1) {
      throw new FieldException(ErrorCodes.INVALID, "channel_id must be a positive integer");
    }
    return id.intValue();
  }

  private static String content(JsonNode root) throws FieldException {
    JsonNode content = root.get("content");
    if (content == null || !content.isTextual()) {
      throw new FieldException(ErrorCodes.INVALID, "content must be a string");
    }
    return content.textValue();
  }

  private static boolean bool(JsonNode root, String field) throws FieldException {
    JsonNode value = root.get(field);
    if (value == null || !value.isBoolean()) {
      throw new FieldException(ErrorCodes.INVALID, field + " must be true or false");
    }
    return value.booleanValue();
  }

  private static Position since(JsonNode root) throws FieldException {
    JsonNode since = root.get("since");
    if (since == null || since.isNull()) {
      return null;
    }
    JsonNode epoch = since.get("epoch");
    JsonNode offset = since.get("offset");
    if (!since.isObject()
        || epoch == null
        || !epoch.isTextual()
        || epoch.textValue().isEmpty()
        || epoch.textValue().length() > MAX_ID_CHARS
        || offset == null
        || !offset.isIntegralNumber()
        || !offset.canConvertToLong()
        || offset.longValue() < -1) {
      throw new FieldException(
          ErrorCodes.INVALID,
          "since must be {\"epoch\": <string>, \"offset\": <integer of at least -1>}");
    }
    return new Position(epoch.textValue(), offset.longValue());
  }

  private static ParseResult invalid(String code, String message, String id) {
    return new ParseResult.Invalid(code, message, id);
  }

  private static final class FieldException extends Exception {
    final String code;

    FieldException(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
