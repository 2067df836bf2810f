package dev.zgres.bench.receive;

import dev.zgres.bench.measure.LatencyMatcher;

/**
 * Receives the benchmark's events downstream (a LISTEN connection, a Kafka consumer) on a thread it
 * owns and reports each one to the phase's {@link LatencyMatcher}, stamped with the time it was
 * handed to this process.
 */
public interface EventReceiver extends AutoCloseable {
  /** Reports events to {@code matcher} from now on; null: ignore them (between phases). */
  void attach(LatencyMatcher matcher);

  /** Events that arrived with no matcher attached, or without an id. */
  long strays();

  @Override
  void close();
}
