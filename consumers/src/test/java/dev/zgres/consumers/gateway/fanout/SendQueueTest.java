package dev.zgres.consumers.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendQueueTest {
  @Test
  void writesOneFrameAtATimeInOrder() {
    SendQueue q = new SendQueue(10, 1000);
    byte[] a = {1};
    byte[] b = {2, 2};
    byte[] c = {3};
    assertThat(q.offer(a)).isEqualTo(SendQueue.Offer.WRITE_NOW);
    assertThat(q.offer(b)).isEqualTo(SendQueue.Offer.QUEUED);
    assertThat(q.offer(c)).isEqualTo(SendQueue.Offer.QUEUED);
    assertThat(q.bytes()).isEqualTo(4);
    assertThat(q.sent(a.length)).isSameAs(b);
    assertThat(q.sent(b.length)).isSameAs(c);
    assertThat(q.sent(c.length)).isNull();
    assertThat(q.frames()).isZero();
    assertThat(q.bytes()).isZero();
    assertThat(q.offer(a)).isEqualTo(SendQueue.Offer.WRITE_NOW);
  }

  @Test
  void overflowsByCountAndStaysOverflowed() {
    SendQueue q = new SendQueue(3, 1000);
    q.offer(new byte[1]);
    q.offer(new byte[1]);
    q.offer(new byte[1]);
    assertThat(q.offer(new byte[1])).isEqualTo(SendQueue.Offer.OVERFLOW);
    assertThat(q.sent(1)).isNull();
    assertThat(q.offer(new byte[1])).isEqualTo(SendQueue.Offer.OVERFLOW);
  }

  @Test
  void overflowsByBytes() {
    SendQueue q = new SendQueue(100, 10);
    assertThat(q.offer(new byte[6])).isEqualTo(SendQueue.Offer.WRITE_NOW);
    assertThat(q.offer(new byte[4])).isEqualTo(SendQueue.Offer.QUEUED);
    assertThat(q.offer(new byte[1])).isEqualTo(SendQueue.Offer.OVERFLOW);
  }
}
