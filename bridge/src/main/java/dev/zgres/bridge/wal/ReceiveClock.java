package dev.zgres.bridge.wal;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When bytes last arrived on one replication connection's socket: anything the walsender sends
 * (data, keepalives, replies) moves it. pgjdbc creates the socket itself, from a factory class it
 * instantiates with the connection's string properties only, so the factory finds its clock by an
 * id in those properties; a clock is registered for the life of one session and unregistered when
 * it closes. Through it the session also waits for the socket's next bytes ({@link #awaitBytes}).
 */
final class ReceiveClock {
  private static final Map<String, ReceiveClock> REGISTERED = new ConcurrentHashMap<>();

  private final String id;
  private volatile long lastReceivedNanos = System.nanoTime();
  private volatile ClockedInput input;

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

  /** Called by the socket once pgjdbc takes its input stream. */
  void attach(ClockedInput socketInput) {
    this.input = socketInput;
  }

  /**
   * Waits up to {@code millis} for bytes on the socket (sleeps when no socket is attached yet).
   *
   * @return true when bytes are waiting to be read
   */
  boolean awaitBytes(long millis) throws IOException, InterruptedException {
    ClockedInput in = input;
    if (in == null) {
      Thread.sleep(millis);
      return false;
    }
    return in.awaitBytes(millis);
  }

  void unregister() {
    REGISTERED.remove(id);
  }
}
