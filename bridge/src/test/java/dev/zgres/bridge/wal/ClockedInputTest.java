package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClockedInputTest {
  private ServerSocket server;
  private Socket client;
  private Socket peer;
  private ReceiveClock clock;
  private ClockedInput input;

  @BeforeEach
  void connect() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    clock = ReceiveClock.register();
    client = new ClockedSocketFactory(ClockedSocketFactory.propertiesOf(clock)).createSocket();
    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    peer = server.accept();
    input = (ClockedInput) client.getInputStream();
  }

  @AfterEach
  void close() throws Exception {
    clock.unregister();
    peer.close();
    client.close();
    server.close();
  }

  @Test
  void aWaitWithNothingSentTimesOutAndLeavesTheSocketUsable() throws Exception {
    client.setSoTimeout(5_000);
    assertThat(clock.awaitBytes(20)).isFalse();
    assertThat(client.getSoTimeout()).as("the caller's timeout is restored").isEqualTo(5_000);
    peer.getOutputStream().write(42);
    assertThat(input.read()).isEqualTo(42);
  }

  @Test
  void bytesThatArriveDuringAWaitAreKeptInOrderForTheNextReads() throws Exception {
    long before = clock.lastReceivedNanos();
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return clock.awaitBytes(5_000);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    OutputStream out = peer.getOutputStream();
    out.write(new byte[] {1, 2, 3});
    out.flush();
    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(input.available()).isGreaterThanOrEqualTo(3);
    out.write(4);
    out.flush();
    byte[] buffer = new byte[2];
    assertThat(input.read(buffer, 0, 2)).isEqualTo(2);
    assertThat(buffer).containsExactly(1, 2);
    assertThat(input.read()).isEqualTo(3);
    assertThat(input.read()).isEqualTo(4);
    assertThat(clock.lastReceivedNanos()).isGreaterThan(before);
  }

  @Test
  void keptBytesNobodyReadMakeTheNextWaitAPauseNotASpin() throws Exception {
    peer.getOutputStream().write(7);
    while (input.available() == 0) {
      Thread.onSpinWait();
    }
    assertThat(clock.awaitBytes(5_000)).isTrue();
    long start = System.nanoTime();
    assertThat(clock.awaitBytes(30)).isTrue();
    assertThat(System.nanoTime() - start).as("slept the pause").isGreaterThanOrEqualTo(25_000_000L);
    assertThat(input.read()).isEqualTo(7);
  }

  @Test
  void theEndOfTheStreamEndsTheWaitAndIsReadAsTheEnd() throws Exception {
    peer.close();
    assertThat(clock.awaitBytes(5_000)).isTrue();
    assertThat(input.read()).isEqualTo(-1);
    assertThat(input.read(new byte[4], 0, 4)).isEqualTo(-1);
  }
}
