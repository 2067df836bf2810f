package dev.zgres.consumers.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The fields of a {@code chat.messages} record value (the trigger's JSON) that the AI worker and
 * the moderator use. {@link #parse} rejects a value that is not a JSON object with an {@code event}
 * field: such a record is a poison record.
 */
public record ChatEvent(
    String event,
    long messageId,
    int channelId,
    Integer userId,
    String username,
    String content,
    String messageType) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Raised for a value that is not a chat event. */
  public static final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static ChatEvent parse(byte[] value) {
    JsonNode json;
    try {
      json = value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      throw new MalformedEventException("record value is not JSON: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject() || !json.path("event").isTextual()) {
      throw new MalformedEventException("record value is not a JSON object with an event", null);
    }
    String event = json.get("event").asText();
    if (event.startsWith("message_") && !json.path("message_id").canConvertToLong()) {
      throw new MalformedEventException(event + " without a numeric message_id", null);
    }
    return new ChatEvent(
        event,
        json.path("message_id").asLong(),
        json.path("channel_id").asInt(),
        json.path("user_id").isNumber() ? json.get("user_id").asInt() : null,
        json.path("username").isTextual() ? json.get("username").asText() : null,
        json.path("content").isTextual() ? json.get("content").asText() : null,
        json.path("message_type").isTextual() ? json.get("message_type").asText() : null);
  }

  /** A new or edited message written by a user (not the assistant, not the system). */
  public boolean isUserText() {
    return ("message_created".equals(event) && "user".equals(messageType) && content != null)
        || ("message_edited".equals(event) && userId != null && content != null);
  }
}
