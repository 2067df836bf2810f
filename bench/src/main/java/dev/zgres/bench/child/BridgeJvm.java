package dev.zgres.bench.child;

import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options {@code bin/zgres bridge} starts the bridge with, so that the benchmark measures
 * the bridge as it is launched (a test compares them with the launcher).
 */
public final class BridgeJvm {
  /** The launcher's sizing of the bridge's JVM ({@code bridge_jvm_defaults} in bin/zgres). */
  public static final String LAUNCHER_DEFAULTS = "-XX:+UseSerialGC -Xmx128m";

  private BridgeJvm() {}

  /**
   * The launcher's class-data sharing: the first launch writes {@code archive} at exit, later
   * launches map it.
   */
  public static List<String> classArchive(Path archive) {
    return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
  }
}
