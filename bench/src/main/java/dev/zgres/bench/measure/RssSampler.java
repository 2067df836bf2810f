package dev.zgres.bench.measure;

import java.util.concurrent.atomic.AtomicBoolean;

/** Samples a process's RSS every {@code periodMillis} on a thread it owns; keeps the peak. */
public final class RssSampler implements AutoCloseable {
  private final ProcessProbe probe;
  private final long periodMillis;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;
  private volatile long peak;

  public RssSampler(ProcessProbe probe, long periodMillis) {
    this.probe = probe;
    this.periodMillis = periodMillis;
    this.peak = probe.rssBytes();
    this.thread = new Thread(this::run, "zgres-bench-rss");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!closed.get()) {
      peak = Math.max(peak, probe.rssBytes());
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Highest RSS seen so far, in bytes. */
  public long peakBytes() {
    return Math.max(peak, probe.rssBytes());
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
