package dev.zgres.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a task's time went, from Linux's {@code /proc/<pid>[/task/<tid>]/schedstat}: nanoseconds on
 * a CPU and nanoseconds runnable but waiting on a run queue. The wait is the part of a
 * notification's latency that no driver or protocol can remove: the task was ready and the machine
 * had no core for it.
 *
 * @param path the task's {@code schedstat} file; null when unknown (nothing is read)
 */
public record SchedStat(Path path) {
  /** Running and waiting time in nanoseconds; NaN both when unreadable. */
  public record Sample(double runNanos, double waitNanos) {
    static final Sample NONE = new Sample(Double.NaN, Double.NaN);

    /** {@code this} minus {@code before}, in seconds: {run, wait}. */
    public double[] secondsSince(Sample before) {
      return new double[] {
        (runNanos - before.runNanos) / 1e9, (waitNanos - before.waitNanos) / 1e9
      };
    }
  }

  public static final SchedStat UNKNOWN = new SchedStat(null);

  /** A whole process (a PostgreSQL backend has one thread). */
  public static SchedStat ofProcess(long pid) {
    return pid <= 0 ? UNKNOWN : new SchedStat(Path.of("/proc", Long.toString(pid), "schedstat"));
  }

  /**
   * The thread of process {@code pid} whose name starts with {@code namePrefix} (Linux keeps the
   * first 15 characters of a Java thread's name).
   */
  public static SchedStat ofThread(long pid, String namePrefix) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    String prefix = namePrefix.length() > 15 ? namePrefix.substring(0, 15) : namePrefix;
    try (Stream<Path> all = Files.list(tasks)) {
      Optional<Path> task =
          all.filter(t -> comm(t).startsWith(prefix)).findFirst().map(t -> t.resolve("schedstat"));
      return task.map(SchedStat::new).orElse(UNKNOWN);
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  private static String comm(Path task) {
    try {
      return Files.readString(task.resolve("comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  public Sample sample() {
    if (path == null) {
      return Sample.NONE;
    }
    try {
      String[] f = Files.readString(path).strip().split(" ");
      return new Sample(Double.parseDouble(f[0]), Double.parseDouble(f[1]));
    } catch (IOException | RuntimeException e) {
      return Sample.NONE;
    }
  }
}
