package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlushFrontierTest {

  @Test
  void advancesToPassedPositionsWhileNothingIsInFlight() {
    FlushFrontier frontier = new FlushFrontier(100);
    frontier.passed(150);
    assertThat(frontier.confirmed()).isEqualTo(150);
  }

  @Test
  void neverMovesBackwards() {
    FlushFrontier frontier = new FlushFrontier(100);
    frontier.passed(90);
    assertThat(frontier.confirmed()).isEqualTo(100);
    frontier.passed(200);
    frontier.passed(180);
    assertThat(frontier.confirmed()).isEqualTo(200);
  }

  @Test
  void holdsAtTheLastPositionBeforeTheFirstUnacknowledgedEvent() {
    FlushFrontier frontier = new FlushFrontier(100);
    Runnable first = frontier.track(1);
    frontier.passed(200);
    Runnable second = frontier.track(2);
    frontier.passed(300);

    second.run();
    assertThat(frontier.confirmed()).as("an ack out of order moves nothing").isEqualTo(100);
    first.run();
    assertThat(frontier.confirmed()).isEqualTo(300);
    assertThat(frontier.unacknowledged()).isZero();
  }

  @Test
  void stopsAtAMarkBetweenAcknowledgedAndPendingEvents() {
    FlushFrontier frontier = new FlushFrontier(0);
    Runnable first = frontier.track(1);
    frontier.passed(10);
    frontier.track(2);
    frontier.passed(20);
    first.run();
    assertThat(frontier.confirmed()).isEqualTo(10);
    assertThat(frontier.unacknowledged()).isEqualTo(1);
    assertThat(frontier.oldestUnacknowledgedNanos()).isEqualTo(2);
  }

  @Test
  void positionsPassedWhileAnEventIsInFlightWaitForItsAck() {
    FlushFrontier frontier = new FlushFrontier(0);
    Runnable ack = frontier.track(1);
    frontier.passed(10);
    frontier.passed(20);
    frontier.passed(30);
    assertThat(frontier.confirmed()).isZero();
    ack.run();
    assertThat(frontier.confirmed()).isEqualTo(30);
  }

  @Test
  void aRepeatedAckCountsOnce() {
    FlushFrontier frontier = new FlushFrontier(0);
    Runnable ack = frontier.track(1);
    frontier.track(2);
    ack.run();
    ack.run();
    assertThat(frontier.unacknowledged()).isEqualTo(1);
  }

  @Test
  void concurrentAcksLeaveNothingBehind() throws InterruptedException {
    FlushFrontier frontier = new FlushFrontier(0);
    Runnable[] acks = new Runnable[10_000];
    for (int i = 0; i < acks.length; i++) {
      acks[i] = frontier.track(i);
      frontier.passed(i + 1);
    }
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int offset = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = acks.length - 1 - offset; i >= 0; i -= threads.length) {
                  acks[i].run();
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(frontier.confirmed()).isEqualTo(acks.length);
    assertThat(frontier.oldestUnacknowledgedNanos()).isEqualTo(-1);
  }
}
