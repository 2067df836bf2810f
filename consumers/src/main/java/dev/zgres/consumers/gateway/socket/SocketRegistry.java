package dev.zgres.consumers.gateway.socket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open sockets of this gateway: for presence frames, timers and shutdown. */
public final class SocketRegistry {
  private final Set<ClientSocket> open = ConcurrentHashMap.newKeySet();

  void add(ClientSocket socket) {
    open.add(socket);
  }

  void remove(ClientSocket socket) {
    open.remove(socket);
  }

  public int size() {
    return open.size();
  }

  /** Queues a frame to every authenticated socket (presence). */
  public void broadcast(byte[] frame) {
    for (ClientSocket s : open) {
      if (s.userId() > 0) {
        s.deliver(frame);
      }
    }
  }

  /** Runs each socket's timers: auth timeout, token expiry, pings. */
  public void tick(long nowNanos) {
    for (ClientSocket s : open) {
      s.tick(nowNanos);
    }
  }

  /** Closes every socket with {@code code} (4000 at shutdown). */
  public void closeAll(int code, String reason) {
    for (ClientSocket s : open) {
      s.close(code, reason);
    }
  }
}
