package dev.zgres.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Linux process's CPU time ({@code /proc/<pid>/stat}: utime + stime, in clock ticks) and
 * resident set size ({@code /proc/<pid>/status}: VmRSS).
 */
public final class ProcessProbe {
  private final long pid;
  private final long ticksPerSecond;

  public ProcessProbe(long pid, long ticksPerSecond) {
    this.pid = pid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** CPU seconds (user + system) the process has used so far. */
  public long pid() {
    return pid;
  }

  public double cpuSeconds() {
    return ticks(false);
  }

  /**
   * CPU seconds of the process plus those of its children that have exited and been waited for
   * (cutime + cstime): for PostgreSQL's postmaster, the backends of connections already closed.
   */
  public double cpuSecondsWithReapedChildren() {
    return ticks(true);
  }

  private double ticks(boolean withReapedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis don't.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17.
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withReapedChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return (double) ticks / ticksPerSecond;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Resident set size in bytes, or -1 if the process is gone. */
  public long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code getconf CLK_TCK}, or 100 (the value on every mainstream Linux) if that fails. */
  public static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
