package dev.zgres.bridge.leader;

import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to publish, among bridges on one database: a session-level advisory lock held on a
 * connection of its own. PostgreSQL releases it when that session ends, which is when the holder
 * closes it, or, for a killed process, as soon as its socket closes. Used by one thread.
 */
public final class LeaderLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);

  /** The advisory lock key every zgres bridge uses: "zgres" in ASCII. Locks are per database. */
  public static final long KEY = 0x7a67726573L;

  private final PgEndpoint postgres;
  private final int timeoutMillis;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Connection connection;
  private volatile boolean held;

  /**
   * @param timeoutMillis how long a probe may take before the session counts as lost
   */
  public LeaderLock(PgEndpoint postgres, int timeoutMillis) {
    this.postgres = postgres;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Takes the lock if no other session holds it.
   *
   * @throws SQLException when PostgreSQL cannot be reached
   */
  public boolean tryAcquire() throws SQLException {
    if (held) {
      return true;
    }
    if (connection == null) {
      connection = open();
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      held = rs.next() && rs.getBoolean(1);
      return held;
    } catch (SQLException e) {
      release();
      throw e;
    }
  }

  /** Whether the lock is still ours: its session answers. A lost session releases the lock. */
  public boolean stillHeld() {
    if (!held) {
      return false;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next();
    } catch (SQLException e) {
      LOG.warn("leader lock session lost: {}", e.getMessage());
      release();
      return false;
    }
  }

  public boolean held() {
    return held;
  }

  /** Whether the lock's session is open (a standby keeps one to retry on). */
  public boolean connected() {
    return connection != null;
  }

  /** Ends the session, which releases the lock. */
  public void release() {
    held = false;
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the leader lock connection", e);
      }
    }
  }

  private Connection open() throws SQLException {
    return PgConnections.open(postgres, "zgres-bridge-leader", timeoutMillis);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    release();
  }
}
