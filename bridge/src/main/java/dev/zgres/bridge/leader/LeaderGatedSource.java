package dev.zgres.bridge.leader;

import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.source.EventSource;
import dev.zgres.runtime.lifecycle.OwnedThread;
import dev.zgres.runtime.postgres.ConnectionErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a source only while this bridge holds the {@link LeaderLock}: the active bridge reads and
 * publishes, a standby retries the lock every {@code ZGRES_STANDBY_RETRY_MS} and starts its source
 * when it gets it. The active one probes its lock session as often. When that session is lost it
 * takes the lock again at once if it is free (a PostgreSQL restart ends every session, and the
 * source reconnects by itself), and stops its source only when another bridge holds the lock or
 * PostgreSQL stays unreachable.
 */
public final class LeaderGatedSource implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderGatedSource.class);

  /** Opens the gated source; like every source, it connects before returning. */
  @FunctionalInterface
  public interface SourceFactory {
    EventSource open() throws SQLException;
  }

  private final LeaderLock lock;
  private final SourceFactory factory;
  private final Duration retry;
  private final BridgeMeters meters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object sourceLock = new Object();
  private final OwnedThread thread;
  private volatile EventSource source;
  private long lostAtNanos;

  /**
   * Tries the lock once and, when it is free, opens the source before returning, so that a first
   * bridge fails fast on bad settings and is publishing when this returns.
   *
   * @throws SQLException when PostgreSQL cannot be reached, or the source cannot open
   */
  public LeaderGatedSource(
      LeaderLock lock, SourceFactory factory, Duration retry, BridgeMeters meters)
      throws SQLException {
    this.lock = lock;
    this.factory = factory;
    this.retry = retry;
    this.meters = meters;
    meters.gauge(
        BridgeMeters.LEADER_ACTIVE,
        "1 while this bridge is the active one",
        this,
        g -> g.active() ? 1 : 0);
    try {
      if (lock.tryAcquire()) {
        source = factory.open();
      } else {
        LOG.info(
            "standby: another bridge holds the leader lock; retrying every {} ms",
            retry.toMillis());
      }
    } catch (SQLException | RuntimeException e) {
      lock.release();
      throw e;
    }
    thread = new OwnedThread("zgres-leader", this::run);
    thread.start();
  }

  @Override
  public boolean active() {
    return source != null;
  }

  @Override
  public boolean connected() {
    EventSource s = source;
    return s != null ? s.connected() : lock.connected();
  }

  @Override
  public int channelCount() {
    EventSource s = source;
    return s == null ? 0 : s.channelCount();
  }

  private void run() {
    while (running.get()) {
      try {
        Thread.sleep(retry.toMillis());
        if (source == null) {
          takeOverIfFree();
        } else if (!lock.stillHeld() && !regain()) {
          LOG.warn("lost the leader lock: stopping the source; this bridge is a standby now");
          lostAtNanos = System.nanoTime();
          stopSource();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (SQLException e) {
        if (ConnectionErrors.isConnectionError(e)) {
          LOG.debug("leader lock attempt failed: {}", e.getMessage());
        } else {
          LOG.warn("could not take over: {}", e.getMessage());
          meters.loopError("leader");
        }
      } catch (RuntimeException e) {
        LOG.error("leader loop error, carrying on", e);
        meters.loopError("leader");
      }
    }
  }

  /**
   * After the lock's session was lost (PostgreSQL restarted, or every backend was terminated),
   * takes the lock again at once if nobody else holds it, so the source, which reconnects by
   * itself, is not stopped and started again: one reconnect restores both. Tries for up to one
   * retry interval while PostgreSQL cannot be reached; false when another bridge holds the lock or
   * PostgreSQL stays unreachable.
   */
  private boolean regain() throws InterruptedException {
    long deadline = System.nanoTime() + retry.toNanos();
    long pauseMillis = 50;
    while (running.get()) {
      try {
        if (lock.tryAcquire()) {
          LOG.info(
              "leader lock session lost and the lock taken again at once; source kept running");
          return true;
        }
        return false;
      } catch (SQLException e) {
        if (!ConnectionErrors.isConnectionError(e) || System.nanoTime() > deadline) {
          LOG.warn("could not take the leader lock again: {}", e.getMessage());
          return false;
        }
        Thread.sleep(pauseMillis);
        pauseMillis = Math.min(pauseMillis * 2, 400);
      }
    }
    return false;
  }

  private void takeOverIfFree() throws SQLException {
    if (!lock.tryAcquire()) {
      return;
    }
    try {
      synchronized (sourceLock) {
        if (running.get()) {
          source = factory.open();
        }
      }
      if (source == null) {
        lock.release();
        return;
      }
      meters.tookOver();
      if (lostAtNanos != 0) {
        // This bridge was active, lost its lock and is back: nothing was received in between.
        meters.reconnected();
        meters.gap(Duration.ofNanos(System.nanoTime() - lostAtNanos));
        lostAtNanos = 0;
      }
      LOG.info("active: took the leader lock, source started");
    } catch (SQLException | RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  private void stopSource() {
    synchronized (sourceLock) {
      EventSource s = source;
      source = null;
      if (s != null) {
        s.close();
      }
    }
    lock.release();
  }

  /** Stops the source, then releases the lock so that a standby takes over at once. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    thread.stop(Duration.ZERO, Duration.ofSeconds(5));
    stopSource();
    lock.close();
  }
}
