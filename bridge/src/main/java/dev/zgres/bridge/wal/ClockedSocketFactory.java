package dev.zgres.bridge.wal;

import dev.zgres.runtime.postgres.UnconnectedSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket factory pgjdbc uses for a replication connection: its sockets move a {@link
 * ReceiveClock} whenever bytes arrive, let the session wait for the next bytes through it ({@link
 * ClockedInput}), and have TCP keepalive probes start after 10 s idle (every 5 s, 3 tries) where
 * the platform allows it. pgjdbc instantiates it by class name with the connection's properties;
 * {@value #CLOCK_PROPERTY} names the clock.
 */
public final class ClockedSocketFactory extends UnconnectedSocketFactory {
  static final String CLOCK_PROPERTY = "socketFactoryArg";

  private final ReceiveClock clock;

  /** Called by pgjdbc. */
  public ClockedSocketFactory(Properties properties) {
    this.clock = ReceiveClock.find(properties.getProperty(CLOCK_PROPERTY));
  }

  /** The properties pgjdbc passes to the factory's constructor for {@code clock}. */
  static Properties propertiesOf(ReceiveClock clock) {
    Properties p = new Properties();
    p.setProperty(CLOCK_PROPERTY, clock.id());
    return p;
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

  private static final class ClockedSocket extends Socket {
    private final ReceiveClock clock;
    private ClockedInput input;

    ClockedSocket(ReceiveClock clock) {
      this.clock = clock;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input = new ClockedInput(super.getInputStream(), this, clock);
        clock.attach(input);
      }
      return input;
    }
  }
}
