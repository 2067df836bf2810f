package dev.zgres.bridge.wal;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.publish.EventBacklog;
import dev.zgres.bridge.source.EventSource;
import dev.zgres.runtime.lifecycle.OwnedThread;
import dev.zgres.runtime.postgres.ConnectionErrors;
import dev.zgres.runtime.postgres.PgConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wal-mode source: reads {@code zgres:} logical decoding messages from a replication slot
 * (plugin pgoutput) and puts them in the backlog in commit order. At-least-once: the slot's
 * confirmed position moves only past what Kafka acknowledged, and every new session resumes from
 * it, after a lost connection, a restart of either server or of the bridge.
 *
 * <p>Only one process can stream a slot, and that is what makes a second bridge a standby: when the
 * slot is in use it checks {@code pg_replication_slots.active} every {@code ZGRES_STANDBY_RETRY_MS}
 * and starts streaming as soon as the slot is free. (Checking first keeps the server log free of a
 * failed START_REPLICATION every second.)
 */
public final class SlotReader implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(SlotReader.class);
  private static final long IDLE_PAUSE_MILLIS = 10;

  private final BridgeConfig config;
  private final EventBacklog backlog;
  private final BridgeMeters meters;
  private final SlotLagMonitor lagMonitor;
  private final WalChannels channels;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OwnedThread thread;
  private volatile Connection control;
  private volatile SlotSession session;
  private volatile boolean active;
  private boolean standby;
  private boolean lost;

  /**
   * Checks PostgreSQL's settings, creates the publication and the slot when missing, and starts
   * streaming unless another bridge holds the slot (then this one is a standby).
   *
   * @throws ReplicationSetupException when PostgreSQL is not set up for logical decoding
   * @throws SQLException when PostgreSQL cannot be reached
   */
  public SlotReader(BridgeConfig config, EventBacklog backlog, BridgeMeters meters)
      throws SQLException {
    this.config = config;
    this.backlog = backlog;
    this.meters = meters;
    this.channels = new WalChannels(config.channels(), config.walExclude(), meters);
    control = PgConnections.open(config.postgres(), "zgres-bridge", 30_000);
    try {
      ReplicationRequirements.check(control);
      boolean slotExisted = SlotCatalog.find(control, config.slot()).isPresent();
      if (SlotCatalog.ensurePublication(control, config.publication()) && slotExisted) {
        LOG.warn(
            "publication {} was missing and is created now, but slot {} is older: pgoutput cannot decode"
                + " its WAL from before this moment if that WAL has table changes",
            config.publication(),
            config.slot());
      }
      SlotCatalog.ensureSlot(control, config.slot());
      tryStart();
    } catch (SQLException | RuntimeException e) {
      closeControl();
      throw e;
    }
    meters.gauge(
        BridgeMeters.SLOT_UNACKNOWLEDGED,
        "Events read from the slot and not yet acknowledged by Kafka",
        this,
        r -> r.unacknowledged());
    meters.gauge(
        BridgeMeters.LEADER_ACTIVE,
        "1 while this bridge is the active one",
        this,
        r -> r.active ? 1 : 0);
    lagMonitor = new SlotLagMonitor(config, meters);
    thread = new OwnedThread("zgres-wal-reader", this::run);
    thread.start();
  }

  @Override
  public boolean connected() {
    return active ? session != null : control != null;
  }

  @Override
  public boolean active() {
    return active;
  }

  @Override
  public int channelCount() {
    return channels.carriedCount();
  }

  private int unacknowledged() {
    SlotSession s = session;
    return s == null ? 0 : s.unacknowledged();
  }

  /** Streams the slot if it is free; returns false (standby) when another process streams it. */
  private boolean tryStart() throws SQLException {
    if (control == null) {
      control = PgConnections.open(config.postgres(), "zgres-bridge", 30_000);
    }
    Optional<SlotCatalog.SlotState> state = SlotCatalog.find(control, config.slot());
    if (state.isEmpty()) {
      LOG.error(
          "replication slot {} is gone (dropped while the bridge ran?): creating it again;"
              + " events emitted before it exists again are not delivered",
          config.slot());
      meters.loopError("wal-slot-missing");
      state = Optional.of(SlotCatalog.ensureSlot(control, config.slot()));
    }
    if (state.get().active()) {
      standby(state.get().activePid());
      return false;
    }
    try {
      session =
          SlotSession.start(config, backlog, meters, channels, state.get().confirmedFlushLsn());
    } catch (SQLException e) {
      if (SlotCatalog.isSlotInUse(e)) {
        standby(0);
        return false;
      }
      throw e;
    }
    closeControl();
    if (standby) {
      meters.tookOver();
      LOG.info(
          "active: took over replication slot {}, streaming from {}",
          config.slot(),
          LogSequenceNumber.valueOf(state.get().confirmedFlushLsn()).asString());
    } else if (lost) {
      meters.reconnected();
      LOG.info(
          "reconnected: streaming replication slot {} again from {}",
          config.slot(),
          LogSequenceNumber.valueOf(state.get().confirmedFlushLsn()).asString());
    }
    active = true;
    standby = false;
    lost = false;
    return true;
  }

  private void standby(int pid) {
    if (!standby) {
      LOG.info(
          "standby: replication slot {} is streamed by {} (another bridge?); checking every {} ms",
          config.slot(),
          pid == 0 ? "another process" : "PID " + pid,
          config.standbyRetry().toMillis());
    }
    active = false;
    standby = true;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running.get()) {
      try {
        if (session == null && !tryStart()) {
          pause(config.standbyRetry());
          continue;
        }
        backoff = Duration.ofMillis(100);
        if (!session.pump()) {
          session.awaitInput(IDLE_PAUSE_MILLIS);
        }
      } catch (SQLException e) {
        if (!running.get()) {
          break;
        }
        dropConnections();
        if (ConnectionErrors.isConnectionError(e)) {
          LOG.warn(
              "PostgreSQL connection lost ({}): reconnecting to slot {} in {} ms",
              e.getMessage(),
              config.slot(),
              backoff.toMillis());
        } else if (SlotCatalog.isMissingPublication(e)) {
          LOG.error(
              "slot {} cannot be decoded: {}. The slot holds WAL from before publication {} existed (or it"
                  + " was dropped). Create the publication again, or drop the slot with zgres slot-drop --slot {}"
                  + " (events in its WAL are lost); retrying in {} ms",
              config.slot(),
              e.getMessage(),
              config.publication(),
              config.slot(),
              backoff.toMillis());
          meters.loopError("wal-reader");
        } else {
          LOG.error(
              "wal reader error on slot {}, reconnecting in {} ms",
              config.slot(),
              backoff.toMillis(),
              e);
          meters.loopError("wal-reader");
        }
        backoff = pauseAndGrow(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error(
            "wal reader loop error on slot {}, reading again from its confirmed position",
            config.slot(),
            e);
        meters.loopError("wal-reader");
        dropConnections();
        backoff = pauseAndGrow(backoff);
      }
    }
    SlotSession s = session;
    if (s != null) {
      s.drain(config.shutdownTimeout());
    }
    dropConnections();
  }

  private Duration pauseAndGrow(Duration backoff) {
    pause(backoff);
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(config.reconnectMaxBackoff()) <= 0
        ? doubled
        : config.reconnectMaxBackoff();
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  private void dropConnections() {
    SlotSession s = session;
    session = null;
    if (s != null) {
      s.close();
      lost = true;
    }
    closeControl();
  }

  private void closeControl() {
    Connection c = control;
    control = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the control connection", e);
      }
    }
  }

  /**
   * Stops reading, waits (up to the shutdown timeout) for Kafka to acknowledge what was read,
   * confirms it to the slot, and closes.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    thread.stop(config.shutdownTimeout().plusSeconds(3), Duration.ofSeconds(3));
    lagMonitor.close();
  }
}
