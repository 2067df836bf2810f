package dev.zgres.bench.child;

import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options {@code bin/zgres bridge} starts the bridge with, so that the benchmark measures
 * the bridge as it is launched (a test compares them with the launcher).
 */
public final class BridgeJvm {
  /** The launcher's sizing of the bridge's JVM ({@code bridge_jvm_defaults} in bin/zgres). */
  public static final String LAUNCHER_DEFAULTS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx128m";

  /**
   * Debezium with its defaults runs on JVM defaults with the heap cap every earlier run used;
   * tuned, it also gets the bridge's JVM options (with that heap cap: its queues are larger), so
   * that the comparison is of the relays, not of their JVM settings.
   */
  public static final String DEBEZIUM_DEFAULT = "-Xmx256m";

  public static final String DEBEZIUM_TUNED =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx256m";

  private BridgeJvm() {}

  /**
   * The launcher's class-data sharing: the first launch writes {@code archive} at exit, later
   * launches map it.
   */
  public static List<String> classArchive(Path archive) {
    return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
  }
}
