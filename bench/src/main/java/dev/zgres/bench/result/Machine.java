package dev.zgres.bench.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured on. */
public record Machine(int cpus, long memoryMegabytes, String cpuModel, String jdk, String os) {
  public static Machine current() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memTotalMegabytes(),
        readCpuModel(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
  }

  private static long memTotalMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable
    }
    return -1;
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable
    }
    return "unknown";
  }

  /** e.g. {@code 2 CPUs, 23,540 MB, Eclipse Adoptium 25+36-LTS}. */
  public String summary() {
    return String.format(
        "%d CPUs (%s), %,d MB memory, JDK %s, %s", cpus, cpuModel, memoryMegabytes, jdk, os);
  }
}
