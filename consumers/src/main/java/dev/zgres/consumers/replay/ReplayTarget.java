package dev.zgres.consumers.replay;

/** Where replayed records go. */
public sealed interface ReplayTarget {
  /** JSON lines on standard output, one record each. */
  record JsonLines() implements ReplayTarget {}

  /** Another topic: key and headers kept, {@code zgres-replayed-from} added. */
  record ToTopic(String topic) implements ReplayTarget {}

  /**
   * Dead letters back to the topic named in their {@code zgres-dlq-original-topic} header; those
   * that fail again go back to the dead-letter topic with the new reason.
   */
  record ToOriginal() implements ReplayTarget {}
}
