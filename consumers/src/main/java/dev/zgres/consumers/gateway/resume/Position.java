package dev.zgres.consumers.gateway.resume;

/**
 * Where a client is in a channel's stream: the offset of the last record it received in the
 * channel's partition of {@code chat.messages}, and the epoch of that topic (its topic id and
 * partition count: it changes when the topic is re-created or re-partitioned, and offsets of
 * another epoch mean nothing).
 */
public record Position(String epoch, long offset) {
  public Position {
    if (epoch == null || epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch must not be empty");
    }
    if (offset < -1) {
      throw new IllegalArgumentException("offset must be at least -1 (was " + offset + ")");
    }
  }
}
