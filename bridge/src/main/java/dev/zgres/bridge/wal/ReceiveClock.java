package dev.zgres.bridge.wal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When bytes last arrived on one replication connection's socket: anything the walsender sends
 * (data, keepalives, replies) moves it. pgjdbc creates the socket itself, from a factory class it
 * instantiates with the connection's string properties only, so the factory finds its clock by an
 * id in those properties; a clock is registered for the life of one session and unregistered when
 * it closes.
 */
final class ReceiveClock {
  private static final Map<String, ReceiveClock> REGISTERED = new ConcurrentHashMap<>();

  private final String id;
  private volatile long lastReceivedNanos = System.nanoTime();

  private ReceiveClock(String id) {
    this.id = id;
  }

  /** A new clock, started now, that {@link #find} returns until {@link #unregister}. */
  static ReceiveClock register() {
    ReceiveClock clock = new ReceiveClock(UUID.randomUUID().toString());
    REGISTERED.put(clock.id, clock);
    return clock;
  }

  /** The registered clock of {@code id}; a detached one (that nobody reads) when there is none. */
  static ReceiveClock find(String id) {
    ReceiveClock clock = id == null ? null : REGISTERED.get(id);
    return clock != null ? clock : new ReceiveClock("detached");
  }

  String id() {
    return id;
  }

  void received() {
    lastReceivedNanos = System.nanoTime();
  }

  /** {@link System#nanoTime} when bytes last arrived (or when the clock was registered). */
  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  void unregister() {
    REGISTERED.remove(id);
  }
}
