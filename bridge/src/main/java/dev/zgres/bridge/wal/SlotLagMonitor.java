package dev.zgres.bridge.wal;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.runtime.lifecycle.OwnedThread;
import dev.zgres.runtime.postgres.PgConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, every probe interval on an ordinary connection of its own, how far the slot is behind:
 * bytes of WAL not confirmed ({@code pg_current_wal_lsn() - confirmed_flush_lsn}), bytes PostgreSQL
 * keeps on disk for it ({@code - restart_lsn}), and the lag in seconds ({@link WalLagClock}). Logs
 * a warning while the lag passes {@code ZGRES_SLOT_LAG_WARN_MB} (again every minute it stays there)
 * and when PostgreSQL is about to give up on the slot.
 */
final class SlotLagMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotLagMonitor.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final BridgeConfig config;
  private final BridgeMeters meters;
  private final WalLagClock clock = new WalLagClock();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OwnedThread thread;
  private Connection connection;
  private volatile long lagBytes;
  private volatile long retainedBytes;
  private volatile double lagSeconds;
  private long warnedAtNanos;
  private boolean warning;
  private String walStatus = "reserved";

  SlotLagMonitor(BridgeConfig config, BridgeMeters meters) {
    this.config = config;
    this.meters = meters;
    meters.gauge(
        BridgeMeters.SLOT_LAG_BYTES, "WAL bytes the slot has not confirmed", this, m -> m.lagBytes);
    meters.gauge(
        BridgeMeters.SLOT_RETAINED_BYTES,
        "WAL bytes PostgreSQL keeps for the slot",
        this,
        m -> m.retainedBytes);
    meters.gauge(
        BridgeMeters.SLOT_LAG_SECONDS,
        "Age of the oldest WAL the slot has not confirmed",
        this,
        m -> m.lagSeconds);
    thread = new OwnedThread("zgres-slot-monitor", this::run).daemon();
    thread.start();
  }

  long lagBytes() {
    return lagBytes;
  }

  double lagSeconds() {
    return lagSeconds;
  }

  private void run() {
    while (running.get()) {
      try {
        measure();
      } catch (SQLException e) {
        LOG.debug("measuring the lag of slot {} failed: {}", config.slot(), e.getMessage());
        closeConnection();
      } catch (RuntimeException e) {
        LOG.error("slot monitor error, carrying on", e);
        meters.loopError("slot-monitor");
      }
      try {
        Thread.sleep(config.probeInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeConnection();
  }

  private void measure() throws SQLException {
    if (connection == null) {
      connection = PgConnections.open(config.postgres(), "zgres-slot-monitor", 30_000);
    }
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT pg_current_wal_lsn()::text, confirmed_flush_lsn::text, restart_lsn::text, wal_status"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
      p.setString(1, config.slot());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next() || rs.getString(2) == null) {
          return;
        }
        long wal = LogSequenceNumber.valueOf(rs.getString(1)).asLong();
        long confirmed = LogSequenceNumber.valueOf(rs.getString(2)).asLong();
        long restart =
            rs.getString(3) == null
                ? confirmed
                : LogSequenceNumber.valueOf(rs.getString(3)).asLong();
        lagBytes = Math.max(0, wal - confirmed);
        retainedBytes = Math.max(0, wal - restart);
        lagSeconds = clock.sample(wal, confirmed, System.nanoTime());
        report(rs.getString(4));
      }
    }
  }

  private void report(String status) {
    long now = System.nanoTime();
    if (lagBytes >= config.slotLagWarnBytes()) {
      if (!warning || now - warnedAtNanos >= WARN_EVERY_NANOS) {
        LOG.warn(
            "replication slot {} is {} MB ({} s) behind, and PostgreSQL keeps {} MB of WAL for it;"
                + " is the bridge stuck on Kafka? If no bridge will read it again, drop it: zgres slot-drop --slot {}",
            config.slot(),
            lagBytes >> 20,
            String.format("%.0f", lagSeconds),
            retainedBytes >> 20,
            config.slot());
        warnedAtNanos = now;
      }
      warning = true;
    } else if (warning) {
      LOG.info("replication slot {} caught up: {} MB behind", config.slot(), lagBytes >> 20);
      warning = false;
    }
    if (status != null && !status.equals(walStatus)) {
      if ("unreserved".equals(status) || "lost".equals(status)) {
        LOG.error(
            "replication slot {} has wal_status {}: PostgreSQL {} WAL it still needs (max_slot_wal_keep_size);"
                + " events in it are lost",
            config.slot(),
            status,
            "lost".equals(status) ? "removed" : "is about to remove");
      }
      walStatus = status;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the slot monitor connection", e);
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    thread.stop(Duration.ZERO, Duration.ofSeconds(5));
  }
}
