package dev.zgres.bench.child;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * How the benchmark ends a child JVM it started (bridge, broker): closing its stdin asks it to
 * drain and exit; after 30 s it gets SIGTERM, after 10 s more SIGKILL. Then the thread reading its
 * stdout is given two seconds to finish.
 */
final class ChildStop {
  private ChildStop() {}

  static void stop(Process process, Thread stdoutReader) {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
      stdoutReader.join(2_000);
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
