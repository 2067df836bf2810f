package dev.zgres.consumers.gateway.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Encodes the server's frames (DESIGN.md, "Gateway protocol") as UTF-8 JSON text. Each method
 * returns the frame's bytes; fan-out encodes a record's frame once and sends the same bytes to
 * every recipient. {@code id} arguments are request ids as JSON text (see {@link FrameParser}),
 * echoed verbatim, or null.
 */
public final class ServerFrames {
  private final JsonFactory factory;

  public ServerFrames(JsonFactory factory) {
    this.factory = factory;
  }

  public byte[] authOk(String id, int userId, Instant expiresAt) {
    return write(
        g -> {
          type(g, "auth_ok", id);
          g.writeNumberField("user_id", userId);
          g.writeStringField("expires_at", expiresAt.toString());
        });
  }

  public byte[] subscribed(String id, int channelId, String epoch, long offset, boolean recovered) {
    return write(
        g -> {
          type(g, "subscribed", id);
          g.writeNumberField("channel_id", channelId);
          g.writeStringField("epoch", epoch);
          g.writeNumberField("offset", offset);
          g.writeBooleanField("recovered", recovered);
        });
  }

  public byte[] refetch(String id, int channelId, String reason) {
    return write(
        g -> {
          type(g, "refetch", id);
          g.writeNumberField("channel_id", channelId);
          g.writeStringField("reason", reason);
        });
  }

  public byte[] unsubscribed(String id, int channelId, String reason) {
    return write(
        g -> {
          type(g, "unsubscribed", id);
          g.writeNumberField("channel_id", channelId);
          g.writeStringField("reason", reason);
        });
  }

  public byte[] sent(String id, long messageId) {
    return write(
        g -> {
          type(g, "sent", id);
          g.writeNumberField("message_id", messageId);
        });
  }

  /**
   * Someone typing in a channel. A {@code true} indicator expires by itself after {@link
   * #TYPING_EXPIRES_MS} unless the user signals again (clients repeat it while typing), so a user
   * whose connection dies never looks like typing forever.
   */
  public byte[] typing(int channelId, int userId, boolean isTyping) {
    return write(
        g -> {
          type(g, "typing", null);
          g.writeNumberField("channel_id", channelId);
          g.writeNumberField("user_id", userId);
          g.writeBooleanField("is_typing", isTyping);
          if (isTyping) {
            g.writeNumberField("expires_in_ms", TYPING_EXPIRES_MS);
          }
        });
  }

  /** How long a typing indicator lasts without a repeat. */
  public static final int TYPING_EXPIRES_MS = 6000;

  public byte[] ping() {
    return write(g -> type(g, "ping", null));
  }

  /**
   * A chat event of {@code chat.messages}. {@code eventJson} is the record's value, spliced in
   * verbatim; the caller has checked that it is one JSON object.
   */
  public byte[] message(int channelId, String epoch, long offset, String eventJson) {
    return write(
        g -> {
          type(g, "message", null);
          g.writeNumberField("channel_id", channelId);
          g.writeStringField("epoch", epoch);
          g.writeNumberField("offset", offset);
          g.writeFieldName("event");
          g.writeRawValue(eventJson);
        });
  }

  /**
   * A {@code message_moderated} event: the client hides the message. Like a {@code message} frame
   * it carries its position, so a client resumes after it.
   */
  public byte[] moderation(
      int channelId,
      String epoch,
      long offset,
      long messageId,
      String riskLevel,
      List<String> reasons) {
    return write(
        g -> {
          type(g, "moderation", null);
          g.writeNumberField("channel_id", channelId);
          g.writeStringField("epoch", epoch);
          g.writeNumberField("offset", offset);
          g.writeNumberField("message_id", messageId);
          g.writeStringField("risk_level", riskLevel);
          g.writeArrayFieldStart("reasons");
          for (String reason : reasons) {
            g.writeString(reason);
          }
          g.writeEndArray();
        });
  }

  public byte[] presence(int userId, String status) {
    return write(
        g -> {
          type(g, "presence", null);
          g.writeNumberField("user_id", userId);
          g.writeStringField("status", status);
        });
  }

  public byte[] error(String id, String code, String message) {
    return write(
        g -> {
          type(g, "error", id);
          g.writeStringField("code", code);
          g.writeStringField("message", message);
        });
  }

  private static void type(JsonGenerator g, String type, String id) throws IOException {
    g.writeStringField("type", type);
    if (id != null) {
      g.writeFieldName("id");
      g.writeRawValue(id);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
