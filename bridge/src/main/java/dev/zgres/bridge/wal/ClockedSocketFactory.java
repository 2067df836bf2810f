package dev.zgres.bridge.wal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket factory pgjdbc uses for a replication connection: its sockets move a {@link
 * ReceiveClock} whenever bytes arrive, and have TCP keepalive probes start after 10 s idle (every 5
 * s, 3 tries) where the platform allows it. pgjdbc instantiates it by class name with the
 * connection's properties; {@value #CLOCK_PROPERTY} names the clock.
 */
public final class ClockedSocketFactory extends SocketFactory {
  static final String CLOCK_PROPERTY = "socketFactoryArg";

  private final ReceiveClock clock;

  /** Called by pgjdbc. */
  public ClockedSocketFactory(Properties properties) {
    this.clock = ReceiveClock.find(properties.getProperty(CLOCK_PROPERTY));
  }

  /** The connection properties that make pgjdbc use this factory with {@code clock}. */
  static Map<String, String> properties(ReceiveClock clock) {
    return Map.of(
        "socketFactory", ClockedSocketFactory.class.getName(), CLOCK_PROPERTY, clock.id());
  }

  @Override
  public Socket createSocket() throws IOException {
    ClockedSocket socket = new ClockedSocket(clock);
    socket.setKeepAlive(true);
    try {
      socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 10);
      socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
      socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
    } catch (UnsupportedOperationException | IOException e) {
      // the platform keeps its own keepalive timing; the receive clock still notices silence
    }
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  private static final class ClockedSocket extends Socket {
    private final ReceiveClock clock;

    ClockedSocket(ReceiveClock clock) {
      this.clock = clock;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return new FilterInputStream(super.getInputStream()) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            clock.received();
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          if (n > 0) {
            clock.received();
          }
          return n;
        }
      };
    }
  }
}
