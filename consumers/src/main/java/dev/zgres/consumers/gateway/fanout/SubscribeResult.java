package dev.zgres.consumers.gateway.fanout;

/** How {@link FanOut#subscribe} served a subscription. */
public sealed interface SubscribeResult {

  /** Subscribed and held; {@link FanOut#activate} releases the subscribed frame and records. */
  record Done(long offset, boolean recovered) implements SubscribeResult {}

  /**
   * Subscribed, waiting for a replay of {@code partition} from {@code fromOffset} through {@code
   * toOffset} (inclusive) from Kafka; finish it with {@link FanOut#activate} (with the records
   * read) or {@link FanOut#failReplay}.
   */
  record Replay(int partition, long fromOffset, long toOffset) implements SubscribeResult {}

  /** Not subscribed: the client must reload ({@code refetch} frame with this reason). */
  record Refetch(String reason) implements SubscribeResult {}

  /** Already subscribed on this socket; nothing changed. */
  record AlreadySubscribed() implements SubscribeResult {}
}
