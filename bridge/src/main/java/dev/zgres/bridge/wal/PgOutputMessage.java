package dev.zgres.bridge.wal;

/**
 * The messages of PostgreSQL's logical replication protocol (plugin {@code pgoutput}) that the
 * bridge acts on. Everything else the plugin may send (relations, row changes, origins, types) is
 * {@link Skipped}: zgres events travel as logical decoding messages only.
 */
sealed interface PgOutputMessage {

  /**
   * Start of a transaction.
   *
   * @param finalLsn LSN of the transaction's commit record
   * @param commitMicros commit time, microseconds since 2000-01-01
   * @param xid the transaction id
   */
  record Begin(long finalLsn, long commitMicros, int xid) implements PgOutputMessage {}

  /**
   * A message written by {@code pg_logical_emit_message}.
   *
   * @param transactional whether it was emitted inside a transaction (and arrives between its Begin
   *     and Commit) or straight away
   * @param lsn the message's position as pgoutput reports it: the end of its WAL record (so for the
   *     last message of a transaction it equals the commit LSN); unique per message
   * @param prefix the prefix it was emitted with, e.g. {@code zgres:chat_message_7}
   * @param content its bytes, exactly as emitted
   */
  record LogicalMessage(boolean transactional, long lsn, String prefix, byte[] content)
      implements PgOutputMessage {}

  /**
   * End of a transaction.
   *
   * @param commitLsn LSN of the commit record (the Begin's final LSN)
   * @param endLsn the position just past the commit record: once everything up to here is in Kafka,
   *     the slot may confirm it and the transaction is never sent again
   */
  record Commit(long commitLsn, long endLsn, long commitMicros) implements PgOutputMessage {}

  /** Any other message; {@code type} is its tag byte, e.g. {@code 'R'} or {@code 'I'}. */
  record Skipped(char type) implements PgOutputMessage {}
}
