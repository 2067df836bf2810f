package dev.zgres.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on loopback that can be frozen: while frozen it forwards nothing and closes nothing,
 * so both ends see a connection that is open but silent, as after a network cut that sent no reset.
 * New connections accepted while frozen are held the same way.
 */
public final class FreezableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicBoolean frozen = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public FreezableProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public void freeze() {
    frozen.set(true);
  }

  /** Thaws and drops every connection made so far, as a network that comes back would find them. */
  public void thawDroppingConnections() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
    frozen.set(false);
  }

  private void accept() {
    while (!closed.get()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (!closed.get()) {
          continue;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  while (frozen.get() && !from.isClosed()) {
                    Thread.sleep(10);
                  }
                  if (from.isClosed()) {
                    return;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the other side closed; so do we
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    if (closed.getAndSet(true)) {
      return;
    }
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
