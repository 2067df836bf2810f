package dev.zgres.bench.workload;

/** Told by writers when each event's transaction has committed. */
@FunctionalInterface
public interface CommitLog {
  CommitLog NONE = (id, nanos) -> {};

  /**
   * @param id the event's id, which its payload carries
   * @param nanos {@link System#nanoTime()} right after the commit returned to the writer
   */
  void committed(long id, long nanos);
}
