package dev.zgres.bridge.publish;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off between the source (which must keep draining PostgreSQL) and the publisher
 * (which may be held up by Kafka). When it is full the source blocks: back-pressure, never a drop.
 * Episodes are logged at most every ten seconds, so a backlog that fills and drains in quick
 * succession does not flood the log; the gauges show every episode.
 */
public final class EventBacklog {
  private static final Logger LOG = LoggerFactory.getLogger(EventBacklog.class);

  private final BlockingQueue<Event> queue;
  private final int capacity;
  private final AtomicBoolean pressured = new AtomicBoolean();
  private static final long WARN_EVERY_NANOS = 10_000_000_000L;
  private volatile long blockedNanos;
  private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS - 1;

  public EventBacklog(int capacity) {
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Adds an event, blocking while the backlog is full. */
  public void put(Event event) throws InterruptedException {
    if (queue.offer(event)) {
      return;
    }
    if (!pressured.getAndSet(true) && System.nanoTime() - lastWarnNanos > WARN_EVERY_NANOS) {
      lastWarnNanos = System.nanoTime();
      LOG.warn(
          "backlog full ({} events): applying back-pressure, the source waits for Kafka", capacity);
    }
    long start = System.nanoTime();
    queue.put(event);
    blockedNanos += System.nanoTime() - start;
  }

  /**
   * Adds an event, waiting up to {@code timeoutMillis} while the backlog is full, so that a source
   * can keep its connection alive between attempts.
   *
   * @return false when it is still full
   */
  public boolean offer(Event event, long timeoutMillis) throws InterruptedException {
    if (queue.offer(event)) {
      return true;
    }
    if (!pressured.getAndSet(true)) {
      LOG.warn(
          "backlog full ({} events): applying back-pressure, the source waits for Kafka", capacity);
    }
    long start = System.nanoTime();
    boolean added = queue.offer(event, timeoutMillis, TimeUnit.MILLISECONDS);
    blockedNanos += System.nanoTime() - start;
    return added;
  }

  /** Takes the next event, waiting up to {@code timeoutMillis}; null if none came. */
  public Event poll(long timeoutMillis) throws InterruptedException {
    Event event = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (event != null && queue.isEmpty() && pressured.getAndSet(false)) {
      LOG.debug("backlog drained: back-pressure released");
    }
    return event;
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }

  public boolean underPressure() {
    return pressured.get();
  }

  /** Total time the source spent blocked on a full backlog. */
  public double blockedSeconds() {
    return blockedNanos / 1e9;
  }
}
