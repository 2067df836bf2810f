package dev.zgres.bridge.listen;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.SourceKind;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.publish.Event;
import dev.zgres.bridge.publish.EventBacklog;
import dev.zgres.bridge.relay.RelayResolver;
import dev.zgres.bridge.relay.RelayedPayload;
import dev.zgres.bridge.source.EventSource;
import dev.zgres.runtime.lifecycle.OwnedThread;
import dev.zgres.runtime.postgres.ConnectionErrors;
import dev.zgres.runtime.postgres.PgConnections;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify-mode source: one dedicated connection, in autocommit (never inside a transaction),
 * LISTENing on the configured channels. Each notification becomes an {@link Event} in the backlog.
 *
 * <p>When the connection fails it reconnects with exponential backoff, LISTENs again and counts the
 * gap (notifications sent meanwhile are gone: NOTIFY is at-most-once). A periodic probe query with
 * a network timeout finds a half-open connection instead of waiting on it forever, and reads {@code
 * pg_notification_queue_usage()} for the metrics.
 */
public final class NotificationListener implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int POLL_MILLIS = 250;

  private final BridgeConfig config;
  private final EventBacklog backlog;
  private final BridgeMeters meters;
  private final ListenSet listenSet;
  private final RelayResolver relay = new RelayResolver();
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean connected;
  private volatile double queueUsage;
  private volatile Connection connection;
  private final OwnedThread thread;

  /**
   * Connects and LISTENs once before returning, so bad settings fail here, not in the background.
   */
  public NotificationListener(BridgeConfig config, EventBacklog backlog, BridgeMeters meters)
      throws SQLException {
    this.config = config;
    this.backlog = backlog;
    this.meters = meters;
    this.listenSet = new ListenSet(config.channels(), config.discoveryQuery());
    meters.gauge(
        BridgeMeters.CONNECTED,
        "1 while the LISTEN connection is up",
        this,
        l -> l.connected ? 1 : 0);
    meters.gauge(
        BridgeMeters.CHANNELS, "Channels currently LISTENed on", this, l -> l.listenSet.size());
    meters.gauge(
        BridgeMeters.QUEUE_USAGE,
        "Fraction of PostgreSQL's notification queue in use",
        this,
        l -> l.queueUsage);
    connection = open();
    this.thread = new OwnedThread("zgres-listener", this::run);
    thread.start();
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public int channelCount() {
    return listenSet.size();
  }

  private Connection open() throws SQLException {
    Connection c =
        PgConnections.open(
            config.postgres(),
            "zgres-bridge",
            (int) Math.max(1_000, config.probeInterval().toMillis() * 2),
            PromptNotificationSockets.properties());
    try {
      listenSet.listenAll(c);
      connected = true;
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    long lostAt = 0;
    while (running.get()) {
      try {
        if (connection == null) {
          connection = open();
          meters.reconnected();
          Duration gap = Duration.ofNanos(System.nanoTime() - lostAt);
          meters.gap(gap);
          LOG.warn(
              "reconnected and LISTENing on {} channels after a gap of {} ms; notifications sent meanwhile are lost",
              listenSet.size(),
              gap.toMillis());
          backoff = Duration.ofMillis(100);
        }
        publishLeftoverSpills();
        receive();
      } catch (SQLException e) {
        if (!running.get()) {
          break;
        }
        if (connected) {
          lostAt = System.nanoTime();
          connected = false;
        }
        closeQuietly();
        if (ConnectionErrors.isConnectionError(e)) {
          LOG.warn(
              "PostgreSQL connection lost ({}): reconnecting in {} ms",
              e.getMessage(),
              backoff.toMillis());
        } else {
          LOG.error("listener error, reconnecting in {} ms", backoff.toMillis(), e);
          meters.loopError("listener");
        }
        if (!pause(backoff)) {
          break;
        }
        backoff = min(backoff.multipliedBy(2), config.reconnectMaxBackoff());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("listener loop error, carrying on", e);
        meters.loopError("listener");
      }
    }
    closeQuietly();
    connected = false;
  }

  private void receive() throws SQLException, InterruptedException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    long nextProbe = System.nanoTime();
    ListenPacing pacing = ListenPacing.of(config.listenBatch(), System.nanoTime());
    while (running.get()) {
      PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
      if (batch != null) {
        for (PGNotification n : batch) {
          handle(n);
        }
      }
      long pause = pacing.pauseAfter(batch == null ? 0 : batch.length, System.nanoTime());
      if (pause > 0) {
        LockSupport.parkNanos(pause);
      }
      relay.deleteAcknowledged(connection);
      if (System.nanoTime() >= nextProbe) {
        probe();
        nextProbe = System.nanoTime() + config.probeInterval().toNanos();
      }
    }
  }

  private void handle(PGNotification n) throws SQLException, InterruptedException {
    long receivedNanos = System.nanoTime();
    String channel = n.getName();
    switch (channel) {
      case ListenSet.CONTROL_CHANNEL -> listenSet.apply(connection, n.getParameter());
      case ListenSet.RELAY_CHANNEL -> {
        try {
          var relayed = relay.resolve(connection, n.getParameter());
          if (relayed.isPresent()) {
            enqueue(relayed.get(), receivedNanos);
          }
        } catch (IllegalArgumentException e) {
          LOG.error("ignoring a malformed relay notification: {}", e.getMessage());
          meters.loopError("relay");
        }
      }
      default -> enqueue(channel, n.getParameter(), nextEventId(), receivedNanos, null);
    }
  }

  private void enqueue(RelayedPayload relayed, long receivedNanos) throws InterruptedException {
    long id = relayed.spillId();
    if (id == 0) {
      enqueue(relayed.channel(), relayed.payload(), nextEventId(), receivedNanos, null);
    } else if (relay.claim(id)) {
      enqueue(
          relayed.channel(),
          relayed.payload(),
          "s-" + id,
          receivedNanos,
          () -> relay.acknowledged(id));
    }
  }

  private String nextEventId() {
    return "n-" + instance + "-" + sequence.incrementAndGet();
  }

  private void enqueue(
      String channel, String payload, String eventId, long receivedNanos, Runnable onAck)
      throws InterruptedException {
    String label = config.channels().specFor(channel).orElse(channel);
    meters.received(label, SourceKind.NOTIFY.label());
    backlog.put(
        new Event(
            channel,
            payload.getBytes(StandardCharsets.UTF_8),
            eventId,
            SourceKind.NOTIFY,
            System.currentTimeMillis(),
            receivedNanos,
            null,
            label,
            onAck));
  }

  private void publishLeftoverSpills() throws SQLException, InterruptedException {
    for (RelayedPayload leftover : relay.leftovers(connection, 10_000)) {
      enqueue(leftover, System.nanoTime());
    }
  }

  private void probe() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_notification_queue_usage()")) {
      if (rs.next()) {
        queueUsage = rs.getDouble(1);
      }
    }
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the LISTEN connection", e);
      }
    }
  }

  /** Stops listening: the connection closes (which UNLISTENs everything), then the thread ends. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    running.set(false);
    thread.stop(Duration.ofSeconds(2), Duration.ofSeconds(3));
  }
}
