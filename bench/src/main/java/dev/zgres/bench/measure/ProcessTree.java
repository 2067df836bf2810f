package dev.zgres.bench.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU time of a process and all its descendants (PostgreSQL's postmaster and its backends),
 * summed from {@code /proc}. Descendants that exit during a phase take their CPU time with them,
 * so this undercounts short-lived processes; the benchmark's connections live through a phase.
 */
public final class ProcessTree {
  private final long rootPid;
  private final long ticksPerSecond;

  public ProcessTree(long rootPid, long ticksPerSecond) {
    this.rootPid = rootPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** The parent of a local process, read from {@code /proc/<pid>/stat}. */
  public static Optional<Long> parentOf(long pid) {
    return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
  }

  public double cpuSeconds() {
    List<Long> pids = new ArrayList<>();
    pids.add(rootPid);
    ProcessHandle.of(rootPid).ifPresent(root -> root.descendants().forEach(p -> pids.add(p.pid())));
    double total = 0;
    for (long pid : pids) {
      double cpu = new ProcessProbe(pid, ticksPerSecond).cpuSeconds();
      if (Double.isFinite(cpu)) {
        total += cpu;
      }
    }
    return total;
  }
}
