package dev.zgres.consumers.gateway.socket;

import dev.zgres.consumers.gateway.fanout.SendQueue;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Writes queued frames to one socket, one at a time, straight from their shared bytes (no copy, no
 * re-encoding per recipient). Never blocks the caller: a frame that does not fit in the {@link
 * SendQueue} makes {@link #write} return false, and the owner closes the socket as too slow.
 */
final class SocketWriter {
  private final CoreSession session;
  private final SendQueue queue;
  private final Runnable onFrameWritten;
  private final Runnable onWriteFailed;

  SocketWriter(
      CoreSession session, SendQueue queue, Runnable onFrameWritten, Runnable onWriteFailed) {
    this.session = session;
    this.queue = queue;
    this.onFrameWritten = onFrameWritten;
    this.onWriteFailed = onWriteFailed;
  }

  /** Queues a frame; false when the queue overflowed (now or before). */
  boolean write(byte[] frame) {
    return switch (queue.offer(frame)) {
      case WRITE_NOW -> {
        drain(frame);
        yield true;
      }
      case QUEUED -> true;
      case OVERFLOW -> false;
    };
  }

  /**
   * Writes frames until the queue is empty or a write completes later (its callback continues). A
   * write that completes inside {@code sendFrame} hands its successor back to this loop instead of
   * recursing, so a long queue never deepens the stack.
   */
  private void drain(byte[] first) {
    byte[] frame = first;
    while (frame != null) {
      Write write = new Write(frame.length);
      session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(frame)), write, false);
      if (write.state.compareAndSet(Write.IN_CALL, Write.ASYNC)) {
        return;
      }
      frame = write.next;
    }
  }

  private final class Write implements Callback {
    static final int IN_CALL = 0;
    static final int DONE_INLINE = 1;
    static final int ASYNC = 2;
    final AtomicInteger state = new AtomicInteger(IN_CALL);
    final int length;
    byte[] next;

    Write(int length) {
      this.length = length;
    }

    @Override
    public void succeeded() {
      onFrameWritten.run();
      byte[] following = queue.sent(length);
      if (state.compareAndSet(IN_CALL, DONE_INLINE)) {
        next = following;
      } else if (following != null) {
        drain(following);
      }
    }

    @Override
    public void failed(Throwable x) {
      queue.sent(length);
      state.compareAndSet(IN_CALL, DONE_INLINE);
      onWriteFailed.run();
    }
  }
}
