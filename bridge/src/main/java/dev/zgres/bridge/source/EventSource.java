package dev.zgres.bridge.source;

/**
 * Where events come from: LISTEN/NOTIFY or a logical replication slot. A source puts every event it
 * reads into the backlog it was given (blocking when full) and runs on a thread it owns until
 * closed. Its constructor connects once, so bad settings fail at start, not in the background.
 */
public interface EventSource extends AutoCloseable {
  /** Whether the source holds a working connection to PostgreSQL right now. */
  boolean connected();

  /**
   * Whether this source is the one publishing. A standby (another bridge holds the leader lock, or
   * the replication slot) is healthy but inactive until it takes over.
   */
  default boolean active() {
    return true;
  }

  /** Channels the source receives on (LISTENed channels; for a slot, those seen so far). */
  int channelCount();

  /** Stops reading; bounded in time; idempotent. */
  @Override
  void close();
}
