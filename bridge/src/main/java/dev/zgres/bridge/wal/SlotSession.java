package dev.zgres.bridge.wal;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.SourceKind;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.publish.Event;
import dev.zgres.bridge.publish.EventBacklog;
import dev.zgres.runtime.postgres.PgConnections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replication connection streaming the slot: decodes pgoutput, turns {@code zgres:} messages
 * into events in the backlog, and reports to the server, as the slot's confirmed position, only
 * what the {@link FlushFrontier} allows. Used by one thread; a new session resumes from the slot's
 * confirmed position, so whatever was read but not confirmed is read again.
 */
final class SlotSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotSession.class);
  static final String PREFIX = "zgres:";
  private static final long REPORT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long OFFER_WAIT_MILLIS = 500;

  private final BridgeConfig config;
  private final EventBacklog backlog;
  private final BridgeMeters meters;
  private final WalChannels channels;
  private final ReceiveClock clock;
  private final long silenceTimeoutNanos;
  private long quietSinceFloorNanos;
  private long replyRequestedAtNanos;
  private final Connection connection;
  private final PGReplicationStream stream;
  private final FlushFrontier frontier;
  private long reportedLsn;
  private long reportedAtNanos;
  private long commitLsn;

  private SlotSession(
      BridgeConfig config,
      EventBacklog backlog,
      BridgeMeters meters,
      WalChannels channels,
      ReceiveClock clock,
      Connection connection,
      PGReplicationStream stream,
      long startLsn) {
    this.config = config;
    this.backlog = backlog;
    this.meters = meters;
    this.channels = channels;
    this.clock = clock;
    this.silenceTimeoutNanos = config.walSilenceTimeout().toNanos();
    this.quietSinceFloorNanos = System.nanoTime();
    this.connection = connection;
    this.stream = stream;
    this.frontier = new FlushFrontier(startLsn);
    this.reportedLsn = startLsn;
  }

  /**
   * Starts streaming the slot from its confirmed position.
   *
   * @param startLsn the slot's confirmed position, read just before; nothing below it is reported
   * @throws SQLException with SQLState 55006 when another process streams the slot
   */
  static SlotSession start(
      BridgeConfig config,
      EventBacklog backlog,
      BridgeMeters meters,
      WalChannels channels,
      long startLsn)
      throws SQLException {
    ReceiveClock clock = ReceiveClock.register();
    Connection connection;
    try {
      connection =
          PgConnections.replication(
              config.postgres(), "zgres-bridge-wal", ClockedSocketFactory.properties(clock));
    } catch (SQLException | RuntimeException e) {
      clock.unregister();
      throw e;
    }
    try {
      PGReplicationStream stream =
          connection
              .unwrap(PGConnection.class)
              .getReplicationAPI()
              .replicationStream()
              .logical()
              .withSlotName(config.slot())
              .withSlotOption("proto_version", "1")
              .withSlotOption("publication_names", '"' + config.publication() + '"')
              .withSlotOption("messages", "true")
              .withStatusInterval(1, TimeUnit.SECONDS)
              .withAutomaticFlush(false)
              .start();
      return new SlotSession(
          config, backlog, meters, channels, clock, connection, stream, startLsn);
    } catch (SQLException | RuntimeException e) {
      clock.unregister();
      connection.close();
      throw e;
    }
  }

  /** Reads one message if one is waiting; returns false when none was. */
  boolean pump() throws SQLException, InterruptedException {
    ByteBuffer buffer = stream.readPending();
    if (buffer != null) {
      handle(PgOutputDecoder.decode(buffer), System.nanoTime());
    }
    // Every message before the last one received has been handled: whatever committed before it
    // (or before a keepalive's position) is tracked, so the frontier may pass it.
    frontier.passed(stream.getLastReceiveLSN().asLong());
    report(false);
    checkSilence();
    return buffer != null;
  }

  /**
   * Nothing was waiting: waits up to {@code millis} for the walsender's next bytes, returning as
   * soon as they arrive (a message then leaves without waiting out a fixed pause).
   */
  void awaitInput(long millis) throws SQLException, InterruptedException {
    try {
      clock.awaitBytes(millis);
    } catch (IOException e) {
      throw new PSQLException(
          "reading the replication connection failed: " + e.getMessage(),
          PSQLState.CONNECTION_FAILURE,
          e);
    }
  }

  /**
   * A silent network partition (no FIN, no RST) leaves the socket open and quiet: TCP would notice
   * only after minutes of retransmissions. So the session asks the walsender for a reply once
   * nothing has arrived for a quarter of {@code ZGRES_WAL_SILENCE_TIMEOUT_MS}, and gives the
   * connection up as dead when nothing has arrived for all of it.
   */
  private void checkSilence() throws SQLException {
    long now = System.nanoTime();
    long quietSince = Math.max(clock.lastReceivedNanos(), quietSinceFloorNanos);
    long quiet = now - quietSince;
    if (quiet > silenceTimeoutNanos) {
      throw new PSQLException(
          "nothing received from the walsender for "
              + TimeUnit.NANOSECONDS.toMillis(quiet)
              + " ms (ZGRES_WAL_SILENCE_TIMEOUT_MS is "
              + config.walSilenceTimeout().toMillis()
              + "): the connection is presumed dead",
          PSQLState.CONNECTION_FAILURE);
    }
    long quarter = silenceTimeoutNanos / 4;
    if (quiet > quarter && now - replyRequestedAtNanos > quarter) {
      stream.forceUpdateStatus(); // asks the server for an immediate reply
      replyRequestedAtNanos = now;
    }
  }

  private void handle(PgOutputMessage message, long receivedNanos)
      throws SQLException, InterruptedException {
    switch (message) {
      case PgOutputMessage.Begin begin -> commitLsn = begin.finalLsn();
      case PgOutputMessage.LogicalMessage m -> {
        if (m.prefix().startsWith(PREFIX)) {
          publish(m, m.transactional() ? commitLsn : m.lsn(), receivedNanos);
        }
        if (!m.transactional()) {
          // Decoding skips a non-transactional message whose record starts before the confirmed
          // position; its reported LSN is the record's end, so confirming it skips exactly this
          // one.
          frontier.passed(m.lsn());
        }
      }
      case PgOutputMessage.Commit commit -> frontier.passed(commit.endLsn());
      case PgOutputMessage.Skipped skipped -> {}
    }
  }

  private void publish(PgOutputMessage.LogicalMessage m, long commit, long receivedNanos)
      throws SQLException, InterruptedException {
    String channel = m.prefix().substring(PREFIX.length());
    Optional<String> spec = channels.labelFor(channel);
    if (spec.isEmpty()) {
      return;
    }
    meters.received(spec.get(), SourceKind.WAL.label());
    Event event =
        new Event(
            channel,
            m.content(),
            eventId(m.lsn()),
            SourceKind.WAL,
            System.currentTimeMillis(),
            receivedNanos,
            LogSequenceNumber.valueOf(commit).asString(),
            spec.get(),
            frontier.track(receivedNanos));
    boolean waited = false;
    while (!backlog.offer(event, OFFER_WAIT_MILLIS)) {
      // Back-pressure: keep answering the server, or wal_sender_timeout would end the connection.
      report(true);
      waited = true;
    }
    if (waited) {
      // Nothing was read while waiting: the silence the session measures starts now.
      quietSinceFloorNanos = System.nanoTime();
    }
  }

  /**
   * Stable across re-deliveries and unique: the message's WAL position (the end of its record). The
   * commit LSN, in the {@code zgres-lsn} header, is shared by a transaction's messages.
   */
  static String eventId(long messageLsn) {
    return "w-" + LogSequenceNumber.valueOf(messageLsn).asString();
  }

  private void report(boolean force) throws SQLException {
    long lsn = frontier.confirmed();
    long now = System.nanoTime();
    boolean advanced = Long.compareUnsigned(lsn, reportedLsn) > 0;
    if ((advanced && now - reportedAtNanos >= REPORT_EVERY_NANOS) || force) {
      if (advanced) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
        reportedLsn = lsn;
      }
      stream.forceUpdateStatus();
      reportedAtNanos = now;
    }
  }

  /**
   * On shutdown, after reading stopped: waits (bounded) for Kafka to acknowledge what was read,
   * reporting progress, so a clean restart repeats nothing.
   */
  void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (frontier.unacknowledged() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        report(false);
      }
      report(true);
      if (frontier.unacknowledged() > 0) {
        LOG.warn(
            "stopping with {} events read from slot {} not yet acknowledged by Kafka; they will be read again",
            frontier.unacknowledged(),
            config.slot());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      LOG.debug("could not report the final position of slot {}", config.slot(), e);
    }
  }

  int unacknowledged() {
    return frontier.unacknowledged();
  }

  long oldestUnacknowledgedNanos() {
    return frontier.oldestUnacknowledgedNanos();
  }

  /**
   * Closes the connection without ending the COPY first: the final status was already sent, and
   * ending the copy would wait on a server that may be gone.
   */
  @Override
  public void close() {
    clock.unregister();
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the replication connection", e);
    }
  }
}
