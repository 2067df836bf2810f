package dev.zgres.bench.scenario;

import dev.zgres.bench.result.PhaseResult;
import java.io.PrintStream;

/** Prints one line per step while the run goes on, stamped with the time since the start. */
public final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void note(String message) {
    out.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
    out.flush();
  }

  public void phaseDone(PhaseResult p) {
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            "%-10s %2d writers %-13s writers %,8.0f ev/s, commit p99 %6.2f ms",
            p.scenario(),
            p.writers(),
            p.mode(),
            p.writer().rate(),
            p.writer().commitLatency().p99()));
    if (p.delivery() != null) {
      line.append(
          String.format(
              " | delivered %,8.0f ev/s, p50 %6.2f p99 %7.2f max %7.2f ms",
              p.delivery().rate(),
              p.delivery().latency().p50(),
              p.delivery().latency().p99(),
              p.delivery().latency().max()));
      if (p.delivery().downstream().count() > 0) {
        line.append(
            String.format(
                " (bridge->here p50 %.0f p99 %.0f ms",
                p.delivery().downstream().p50(), p.delivery().downstream().p99()));
        if (p.delivery().bridgeAck() != null && p.delivery().bridgeAck().count() > 0) {
          line.append(
              String.format(
                  "; bridge's receipt->ack p50 <= %.1f p99 <= %.1f ms",
                  p.delivery().bridgeAck().p50(), p.delivery().bridgeAck().p99()));
        }
        line.append(")");
      }
      if (p.delivery().missing() > 0) {
        line.append(String.format(", %,d MISSING", p.delivery().missing()));
      }
    }
    if (p.bridge() != null) {
      line.append(
          String.format(
              " | bridge %.1f CPU s/M ev, RSS %.0f MB",
              p.bridge().cpuSecondsPerMillionEvents(), p.bridge().peakRssMegabytes()));
    }
    if (p.cpu() != null) {
      line.append(
          String.format(
              " | CPU s: pg %.1f, bench %.1f, bridge %.1f in %.1f s; bench GC pauses %.0f ms",
              p.cpu().postgres(),
              p.cpu().benchJvm(),
              p.cpu().bridge(),
              p.cpu().seconds(),
              p.cpu().benchGcPauseSeconds() * 1e3));
      if (p.cpu().listener() != null
          && !(Double.isNaN(p.cpu().listener().backendCpu())
              && Double.isNaN(p.cpu().listener().threadCpu()))) {
        line.append(
            String.format(
                " | listener backend cpu %.2f s, run-queue %.2f s; receiving thread cpu %.2f s,"
                    + " run-queue %.2f s",
                p.cpu().listener().backendCpu(),
                p.cpu().listener().backendWait(),
                p.cpu().listener().threadCpu(),
                p.cpu().listener().threadWait()));
      }
    }
    note(line.toString());
  }
}
