package dev.zgres.consumers.gateway.presence;

import java.util.HashMap;
import java.util.Map;

/**
 * How many authenticated sockets each user has on this gateway. A user's first socket makes them
 * present here, the last one to close makes them absent; the shared presence table (across
 * gateways) is told only about those two transitions. Thread-safe.
 */
public final class LocalPresence {
  private final Map<Integer, Integer> sockets = new HashMap<>();

  /** A socket of the user authenticated; returns true when it is the user's first here. */
  public synchronized boolean connected(int userId) {
    return sockets.merge(userId, 1, Integer::sum) == 1;
  }

  /** A socket of the user closed; returns true when it was the user's last here. */
  public synchronized boolean disconnected(int userId) {
    Integer n = sockets.get(userId);
    if (n == null) {
      return false;
    }
    if (n == 1) {
      sockets.remove(userId);
      return true;
    }
    sockets.put(userId, n - 1);
    return false;
  }

  /** The users with at least one socket here. */
  public synchronized int[] users() {
    return sockets.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  public synchronized int userCount() {
    return sockets.size();
  }
}
