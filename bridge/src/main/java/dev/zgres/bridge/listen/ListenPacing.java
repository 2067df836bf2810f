package dev.zgres.bridge.listen;

import java.time.Duration;

/**
 * How long the listener waits before it reads again: not at all at a trickle, so that each
 * notification leaves as soon as it arrives; under load a short pause, so that what arrives
 * meanwhile is handed on together and the hops after the listener (the publisher's thread, the
 * producer's, a Kafka request) are paid once per group instead of once per event.
 *
 * <p>Load is the rate over the last completed window of {@value #WINDOW_MILLIS} ms; the pause
 * ({@code ZGRES_LISTEN_BATCH_MS}, 5 ms by default) applies only above {@link #LOAD_RATE} events/s,
 * so latency at moderate rates is untouched and under load it grows by at most the pause. Handing
 * over one event at a time at saturation cost the bridge two to three times the CPU per event of
 * pgjdbc's own bursts on the benchmark machine (2 cores shared with PostgreSQL and Kafka, where
 * every thread wake-up counts); docs/performance.md has the A/B runs with and without the pause.
 */
final class ListenPacing {
  static final int WINDOW_MILLIS = 50;
  static final double LOAD_RATE = 2_000;

  private final double loadRate;
  private final long pauseNanos;
  private long windowStart;
  private long windowEvents;
  private double rate;

  ListenPacing(double loadRate, long pauseNanos, long nowNanos) {
    if (loadRate <= 0 || pauseNanos < 0) {
      throw new IllegalArgumentException("load rate must be > 0 and pause >= 0");
    }
    this.loadRate = loadRate;
    this.pauseNanos = pauseNanos;
    this.windowStart = nowNanos;
  }

  static ListenPacing of(Duration pause, long nowNanos) {
    return new ListenPacing(LOAD_RATE, pause.toNanos(), nowNanos);
  }

  /**
   * Records a read that handed over {@code events} (0 when it timed out) and returns how long to
   * wait before the next read, in nanoseconds.
   */
  long pauseAfter(int events, long nowNanos) {
    windowEvents += events;
    long elapsed = nowNanos - windowStart;
    if (elapsed >= WINDOW_MILLIS * 1_000_000L) {
      rate = windowEvents * 1e9 / elapsed;
      windowStart = nowNanos;
      windowEvents = 0;
    }
    return events > 0 && rate >= loadRate ? pauseNanos : 0;
  }

  /** Events per second over the last completed window. */
  double rate() {
    return rate;
  }
}
