package dev.zgres.consumers.gateway.fanout;

/**
 * What the fan-out tells its owner about subscriptions it ended on its own; called with the
 * partition locked, so implementations only queue frames and count.
 */
public interface FeedEvents {
  /** The subscriber's user lost read access at a record it was just sent. */
  void revoked(Subscriber subscriber, int channelId);

  /** Too many live records arrived while the subscriber's replay was still running. */
  void replayOverflowed(Subscriber subscriber, int channelId);
}
