package dev.zgres.bridge.wal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The replication socket's input: moves the {@link ReceiveClock} whenever bytes arrive, and lets
 * the idle session wait for the next bytes instead of sleeping a fixed time ({@link #awaitBytes}).
 * The wait reads what comes into a buffer of its own, which every later read and {@code
 * available()} serve first, so pgjdbc, which polls with {@code available()}, finds them at once.
 *
 * <p>Only the session's thread reads (pgjdbc's calls and the session's waits alike).
 */
final class ClockedInput extends FilterInputStream {
  private final Socket socket;
  private final ReceiveClock clock;
  private final byte[] held = new byte[16 * 1024];
  private int heldStart;
  private int heldEnd;
  private boolean ended;
  private boolean seenUnread;

  ClockedInput(InputStream in, Socket socket, ReceiveClock clock) {
    super(in);
    this.socket = socket;
    this.clock = clock;
  }

  @Override
  public int read() throws IOException {
    if (heldStart < heldEnd) {
      seenUnread = false;
      return held[heldStart++] & 0xff;
    }
    if (ended) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      seenUnread = false;
      clock.received();
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (heldStart < heldEnd) {
      seenUnread = false;
      int n = Math.min(length, heldEnd - heldStart);
      System.arraycopy(held, heldStart, buffer, offset, n);
      heldStart += n;
      return n;
    }
    if (ended) {
      return -1;
    }
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      seenUnread = false;
      clock.received();
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return (heldEnd - heldStart) + (ended ? 0 : in.available());
  }

  /**
   * Waits up to {@code millis} for bytes to arrive, keeping them for the next reads.
   *
   * <p>When bytes this method kept were not read since its last call (pgjdbc did not look: over TLS
   * its {@code available()} sees only decrypted bytes), it sleeps instead, so that a caller's loop
   * never spins: no worse than a fixed pause.
   *
   * @return true when bytes are waiting to be read (or the stream ended)
   */
  boolean awaitBytes(long millis) throws IOException, InterruptedException {
    if (seenUnread) {
      Thread.sleep(millis);
      return true;
    }
    if (heldStart < heldEnd || ended || in.available() > 0) {
      seenUnread = true;
      return true;
    }
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout((int) Math.max(1, millis));
    try {
      int n = in.read(held, 0, held.length);
      if (n < 0) {
        ended = true;
      } else {
        heldStart = 0;
        heldEnd = n;
        clock.received();
      }
      seenUnread = true;
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(timeout);
    }
  }
}
