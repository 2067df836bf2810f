package dev.zgres.runtime.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A base for socket factories given to pgjdbc ({@code socketFactory}): pgjdbc only ever asks for an
 * unconnected socket, which it connects itself, so a subclass implements {@link #createSocket()}
 * and the connecting variants refuse.
 */
public abstract class UnconnectedSocketFactory extends SocketFactory {
  @Override
  public abstract Socket createSocket() throws IOException;

  @Override
  public final Socket createSocket(String host, int port) {
    throw refused();
  }

  @Override
  public final Socket createSocket(String host, int port, InetAddress local, int localPort) {
    throw refused();
  }

  @Override
  public final Socket createSocket(InetAddress host, int port) {
    throw refused();
  }

  @Override
  public final Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) {
    throw refused();
  }

  private static UnsupportedOperationException refused() {
    return new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }
}
