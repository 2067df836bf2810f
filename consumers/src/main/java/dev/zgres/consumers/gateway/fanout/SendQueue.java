package dev.zgres.consumers.gateway.fanout;

import java.util.ArrayDeque;

/**
 * The frames waiting to be written to one socket, bounded by count and by bytes. At most one frame
 * is in flight: {@link #offer} says when the caller must start writing, and {@link #sent} hands
 * over the next frame once the previous write completed. When a frame does not fit, the queue
 * refuses it and stays refused: the socket is too slow and will be closed, never waited for.
 * Thread-safe.
 */
public final class SendQueue {
  private final int maxFrames;
  private final long maxBytes;
  private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
  private long bytes;
  private boolean writing;
  private boolean overflowed;

  public SendQueue(int maxFrames, long maxBytes) {
    if (maxFrames < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a send queue needs room for at least one frame");
    }
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** What the caller of {@link #offer} must do. */
  public enum Offer {
    /** Write this frame now, then call {@link #sent}. */
    WRITE_NOW,
    /** Queued behind the frame in flight; nothing to do. */
    QUEUED,
    /** The queue is full (or was before): close the socket as too slow. */
    OVERFLOW
  }

  public synchronized Offer offer(byte[] frame) {
    if (overflowed) {
      return Offer.OVERFLOW;
    }
    if (!writing) {
      writing = true;
      bytes += frame.length;
      return Offer.WRITE_NOW;
    }
    if (waiting.size() + 1 >= maxFrames || bytes + frame.length > maxBytes) {
      overflowed = true;
      waiting.clear();
      return Offer.OVERFLOW;
    }
    waiting.addLast(frame);
    bytes += frame.length;
    return Offer.QUEUED;
  }

  /**
   * The frame in flight of {@code length} bytes was written; returns the next frame to write, or
   * null when there is none (the next {@link #offer} writes again).
   */
  public synchronized byte[] sent(int length) {
    bytes -= length;
    byte[] next = overflowed ? null : waiting.pollFirst();
    writing = next != null;
    return next;
  }

  /** Frames queued or in flight. */
  public synchronized int frames() {
    return waiting.size() + (writing ? 1 : 0);
  }

  /** Bytes queued or in flight. */
  public synchronized long bytes() {
    return bytes;
  }
}
