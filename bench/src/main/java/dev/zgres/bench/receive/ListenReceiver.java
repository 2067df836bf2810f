package dev.zgres.bench.receive;

import dev.zgres.bench.measure.LatencyMatcher;
import dev.zgres.bench.servers.BenchServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Baseline B1's consumer: a plain pgjdbc connection LISTENing on one channel, blocking in {@link
 * PGConnection#getNotifications(int)} so a notification is taken the moment it arrives.
 *
 * <p>It LISTENs only while a matcher is attached: PostgreSQL wakes every backend that LISTENs in
 * the database for each notification, whatever its channel, so a receiver idle between its phases
 * would tax every other scenario's phases with a backend woken per event.
 *
 * <p>Where the payload carries the inserting statement's {@code clock_timestamp()} (key {@value
 * PayloadClock#KEY}, microseconds since the epoch), the receipt's wall clock minus that stamp is
 * also recorded: the clock a writer outside this JVM (pgbench) can be measured with.
 */
public final class ListenReceiver implements EventReceiver {
  private final Connection connection;
  private final String channel;
  private final PayloadClock payloadClock = new PayloadClock();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder strays = new LongAdder();
  private final Thread thread;
  private final long backendPid;
  private volatile LatencyMatcher matcher;
  private volatile Exception failure;

  public ListenReceiver(BenchServers servers, String channel) throws SQLException {
    this(servers, channel, Map.of());
  }

  /**
   * A receiver whose connection has extra pgjdbc properties, e.g. the bridge's socket factory that
   * hands notifications over as they arrive ({@code B1-prompt}).
   */
  public ListenReceiver(BenchServers servers, String channel, Map<String, String> properties)
      throws SQLException {
    this.channel = channel;
    this.connection = servers.connect("zgres-bench-listen", properties);
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      backendPid = rs.getLong(1);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    thread = new Thread(this::run, threadName());
    thread.start();
  }

  private void run() {
    try {
      PGConnection pg = connection.unwrap(PGConnection.class);
      while (running.get()) {
        PGNotification[] batch = pg.getNotifications(100);
        long now = System.nanoTime();
        if (batch == null) {
          continue;
        }
        long wallMicros = PayloadClock.nowMicros();
        LatencyMatcher m = matcher;
        for (PGNotification n : batch) {
          String payload = n.getParameter();
          payloadClock.received(payload, wallMicros);
          long id = PayloadIds.extract(payload);
          if (m == null || id < 0) {
            strays.increment();
          } else {
            m.received(id, now);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (running.get()) {
        failure = e;
        System.err.println("zgres bench: the LISTEN receiver stopped: " + e);
      }
    }
  }

  /** LISTENs and reports events to {@code matcher}; null: reports nothing more and UNLISTENs. */
  @Override
  public void attach(LatencyMatcher matcher) {
    if (failure != null) {
      throw new IllegalStateException("the LISTEN receiver has failed", failure);
    }
    if (matcher != null) {
      payloadClock.reset();
      this.matcher = matcher;
      execute("LISTEN " + channel);
    } else {
      execute("UNLISTEN " + channel);
      this.matcher = null;
    }
  }

  /** The PostgreSQL backend serving this receiver's connection. */
  public long backendPid() {
    return backendPid;
  }

  /** The receiving thread's name: unique per channel within Linux's 15 characters. */
  public String threadName() {
    return "listen-" + channel.replace("zgres_bench_", "");
  }

  /** Insert clock to receipt of the events since the last attach (payloads with a stamp only). */
  public PayloadClock payloadClock() {
    return payloadClock;
  }

  private void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }

  @Override
  public long strays() {
    return strays.sum();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }
}
