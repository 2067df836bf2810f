package dev.zgres.consumers.gateway.fanout;

/**
 * A socket as the fan-out sees it. Both methods are called with the channel's partition locked, so
 * they must not block: {@link #deliver} queues the frame (and closes a socket whose queue is full).
 */
public interface Subscriber {
  /** The authenticated user of the socket. */
  int userId();

  /** Queues a frame for the socket; returns false when the socket is closed or too slow. */
  boolean deliver(byte[] frame);

  /** The fan-out ended this socket's subscription to the channel (membership revoked, refetch). */
  void subscriptionEnded(int channelId);
}
