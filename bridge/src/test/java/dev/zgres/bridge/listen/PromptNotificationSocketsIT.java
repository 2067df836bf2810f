package dev.zgres.bridge.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PromptNotificationSocketsIT {
  private static final int WRITERS = 4;
  private static final int PER_WRITER = 5_000;
  private static PgEndpoint db;

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  /**
   * Four writers notify back to back, each NOTIFY its own transaction. A plain pgjdbc connection
   * hands such a stream over in bursts of hundreds to thousands, each returned only when the stream
   * pauses for a millisecond; over these sockets {@code getNotifications} returns what has arrived.
   */
  @Test
  void aSteadyStreamOfNotificationsIsHandedOverAsItArrivesNotInBursts() throws Exception {
    try (Connection listener =
        PgConnections.open(db, "zgres-test-listener", 0, PromptNotificationSockets.properties())) {
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN prompt_test");
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> writers = startWriters(failure);
      PGConnection pg = listener.unwrap(PGConnection.class);
      int[] next = new int[WRITERS];
      int received = 0;
      int handOvers = 0;
      int largest = 0;
      while (received < WRITERS * PER_WRITER && failure.get() == null) {
        PGNotification[] batch = pg.getNotifications(250);
        if (batch == null || batch.length == 0) {
          continue;
        }
        handOvers++;
        largest = Math.max(largest, batch.length);
        for (PGNotification n : batch) {
          String[] parts = n.getParameter().split(":");
          int writer = Integer.parseInt(parts[0]);
          assertThat(Integer.parseInt(parts[1]))
              .as("order of writer %d", writer)
              .isEqualTo(next[writer]);
          next[writer]++;
          received++;
        }
      }
      for (Thread w : writers) {
        w.join();
      }
      assertThat(failure.get()).isNull();
      assertThat(received).isEqualTo(WRITERS * PER_WRITER);
      System.out.printf(
          "PromptNotificationSocketsIT: %d notifications in %d hand-overs, the largest %d%n",
          received, handOvers, largest);
      // On average at most 50 per hand-over; pgjdbc's bursts average hundreds or more here.
      assertThat(handOvers).isGreaterThanOrEqualTo(received / 50);
    }
  }

  @Test
  void theConnectionStillRunsQueriesAndNoticesWhenNothingIsPending() throws SQLException {
    try (Connection c =
        PgConnections.open(db, "zgres-test-listener", 0, PromptNotificationSockets.properties())) {
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN prompt_idle");
        assertThat(c.unwrap(PGConnection.class).getNotifications(50)).isNullOrEmpty();
        s.execute("NOTIFY prompt_idle, 'after a quiet spell'");
        PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(1_000);
        assertThat(got)
            .extracting(PGNotification::getParameter)
            .containsExactly("after a quiet spell");
        try (var rs = s.executeQuery("SELECT repeat('x', 100000)")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).hasSize(100_000);
        }
      }
    }
  }

  @Test
  void underTheProbeTimeoutArrivedBytesAreReadAndAbsentOnesAreNotWaitedFor() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new PromptNotificationSockets(null).createSocket()) {
      client.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket peer = server.accept()) {
        InputStream in = client.getInputStream();
        client.setSoTimeout(PromptNotificationSockets.PROBE_TIMEOUT_MILLIS);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

        OutputStream out = peer.getOutputStream();
        out.write(new byte[] {7, 8});
        out.flush();
        while (in.available() == 0) {
          Thread.onSpinWait();
        }
        assertThat(in.read()).isEqualTo(7);
        assertThat(in.read()).isEqualTo(8);

        client.setSoTimeout(5_000); // any other timeout: a plain blocking read
        out.write(9);
        out.flush();
        assertThat(in.read()).isEqualTo(9);
      }
    }
  }

  private static List<Thread> startWriters(AtomicReference<Throwable> failure) {
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t =
          new Thread(
              () -> {
                try (Connection c = PgConnections.open(db, "zgres-test-writer", 0, Map.of());
                    PreparedStatement notify =
                        c.prepareStatement("SELECT pg_notify('prompt_test', ?)")) {
                  for (int i = 0; i < PER_WRITER; i++) {
                    notify.setString(1, writer + ":" + i);
                    notify.execute();
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "prompt-writer-" + w);
      t.start();
      writers.add(t);
    }
    return writers;
  }
}
