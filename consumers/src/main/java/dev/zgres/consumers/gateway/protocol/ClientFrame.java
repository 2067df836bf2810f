package dev.zgres.consumers.gateway.protocol;

import dev.zgres.consumers.gateway.resume.Position;

/**
 * A valid frame from a client, as {@link FrameParser} read it. {@code id} is the client's request
 * id, echoed in the reply, or null when the client sent none.
 */
public sealed interface ClientFrame {
  String id();

  record Auth(String id, String token) implements ClientFrame {}

  /** {@code since} is null for a subscription that starts at the live end. */
  record Subscribe(String id, int channelId, Position since) implements ClientFrame {}

  record Unsubscribe(String id, int channelId) implements ClientFrame {}

  record Send(String id, int channelId, String content) implements ClientFrame {}

  record Typing(String id, int channelId, boolean isTyping) implements ClientFrame {}

  record Refresh(String id, String token) implements ClientFrame {}

  record Pong(String id) implements ClientFrame {}
}
