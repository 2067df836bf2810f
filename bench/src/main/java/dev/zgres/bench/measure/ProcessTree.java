package dev.zgres.bench.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU time of a server process and its children (PostgreSQL's postmaster and its backends), summed
 * from {@code /proc}: the root's own time and that of its exited children (which the postmaster
 * reaps, so their time lands in its cutime and cstime), plus the live children's.
 */
public final class ProcessTree {
  private final long rootPid;
  private final long ticksPerSecond;

  public ProcessTree(long rootPid, long ticksPerSecond) {
    this.rootPid = rootPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** The parent of a process on this machine; empty if there is no such process here. */
  public static Optional<Long> parentOf(long pid) {
    return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
  }

  public double cpuSeconds() {
    double total = new ProcessProbe(rootPid, ticksPerSecond).cpuSecondsWithReapedChildren();
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(rootPid).ifPresent(root -> root.children().forEach(p -> pids.add(p.pid())));
    for (long pid : pids) {
      double cpu = new ProcessProbe(pid, ticksPerSecond).cpuSeconds();
      if (Double.isFinite(cpu)) {
        total += cpu;
      }
    }
    return total;
  }
}
