package dev.zgres.consumers.gateway.resume;

import dev.zgres.consumers.gateway.fanout.SubscribeResult;
import dev.zgres.consumers.gateway.fanout.Subscriber;

/** Serves resumes older than the memory window by reading the partition from Kafka. */
public interface Replayer extends AutoCloseable {
  /**
   * Reads the channel's records of {@code replay}'s range in the background, then finishes the
   * subscription (or refetches it when the records are gone or Kafka fails).
   */
  void replay(
      Subscriber subscriber, int channelId, SubscribeResult.Replay replay, String requestId);

  @Override
  void close();
}
