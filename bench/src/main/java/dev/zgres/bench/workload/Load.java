package dev.zgres.bench.workload;

/**
 * How hard writers push: {@code writers} connections, either open loop at a fixed total rate (each
 * writer takes its share as Poisson arrivals, whatever the latency) or closed loop ({@code
 * eventsPerSecond == 0}: each writer inserts again as soon as its last commit returned).
 */
public record Load(int writers, double eventsPerSecond) {
  public Load {
    if (writers < 1) {
      throw new IllegalArgumentException("writers must be at least 1 (was " + writers + ")");
    }
    if (eventsPerSecond < 0) {
      throw new IllegalArgumentException(
          "eventsPerSecond must not be negative (was " + eventsPerSecond + ")");
    }
  }

  public static Load open(int writers, double eventsPerSecond) {
    return new Load(writers, eventsPerSecond);
  }

  public static Load closed(int writers) {
    return new Load(writers, 0);
  }

  public boolean isOpen() {
    return eventsPerSecond > 0;
  }

  /** {@code open 1000/s} or {@code closed}. */
  public String mode() {
    return isOpen() ? String.format("open %,.0f/s", eventsPerSecond) : "closed";
  }
}
