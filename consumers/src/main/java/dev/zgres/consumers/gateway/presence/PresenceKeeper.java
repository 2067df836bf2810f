package dev.zgres.consumers.gateway.presence;

import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.store.ChatStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this gateway's part of the shared presence table: a user's first socket here registers a
 * presence entry, the last one removes it, and every third of the time-to-live the entries are
 * renewed (and expired entries of dead gateways swept). All database calls run in order on one
 * thread, so a user's connect and disconnect never overtake each other.
 */
public final class PresenceKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceKeeper.class);
  private final String gatewayId;
  private final ChatStore store;
  private final Duration ttl;
  private final GatewayMeters meters;
  private final LocalPresence local = new LocalPresence();
  private final ScheduledExecutorService thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  public PresenceKeeper(String gatewayId, ChatStore store, Duration ttl, GatewayMeters meters) {
    this.gatewayId = gatewayId;
    this.store = store;
    this.ttl = ttl;
    this.meters = meters;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zgres-gateway-presence");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, ttl.toMillis() / 3);
    thread.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  public LocalPresence local() {
    return local;
  }

  public void connected(int userId) {
    if (local.connected(userId)) {
      submit("connect", () -> store.presenceConnect(gatewayId, userId, ttl));
    }
  }

  public void disconnected(int userId) {
    if (local.disconnected(userId)) {
      submit("disconnect", () -> store.presenceDisconnect(gatewayId, userId));
    }
  }

  private void renew() {
    try {
      store.presenceRenew(gatewayId, ttl);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("presence renewal failed; retrying at the next tick: {}", e.toString());
      meters.loopError("presence");
    }
  }

  private interface Call {
    void run() throws SQLException;
  }

  private void submit(String what, Call call) {
    if (closed.get()) {
      return;
    }
    thread.execute(
        () -> {
          try {
            call.run();
          } catch (SQLException | RuntimeException e) {
            LOG.warn("presence {} failed: {}", what, e.toString());
            meters.loopError("presence");
          }
        });
  }

  /** Removes this gateway's entries (its users go offline unless elsewhere), then stops. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (int user : local.users()) {
      thread.execute(
          () -> {
            try {
              store.presenceDisconnect(gatewayId, user);
            } catch (SQLException | RuntimeException e) {
              LOG.warn("presence disconnect at shutdown failed: {}", e.toString());
            }
          });
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
