package dev.zgres.consumers.gateway.resume;

import java.util.List;

/** How a subscription that names a position is served. */
public sealed interface ResumeDecision {

  /** Everything after the position is in memory: these entries, oldest first (maybe none). */
  record Recovered(List<WindowEntry> missed) implements ResumeDecision {}

  /** The position is older than the memory window: read the partition from {@code fromOffset}. */
  record SeekKafka(long fromOffset) implements ResumeDecision {}

  /** The position cannot be served; the client must reload over HTTP. */
  record Refetch(String reason) implements ResumeDecision {}

  /** Reason: the position belongs to another epoch of the topic. */
  String EPOCH_CHANGED = "epoch_changed";

  /** Reason: the records after the position are no longer kept by Kafka. */
  String RECORDS_GONE = "records_gone";

  /** Reason: too many records to replay; page history instead. */
  String TOO_FAR_BEHIND = "too_far_behind";

  /** Reason: the replay failed (Kafka unavailable); try again later or page history. */
  String REPLAY_FAILED = "replay_failed";
}
