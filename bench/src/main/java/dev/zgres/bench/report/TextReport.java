package dev.zgres.bench.report;

import static dev.zgres.bench.report.Formats.*;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.io.PrintStream;

/** The report printed at the end of a run: every phase's figures, then the targets. */
public final class TextReport {
  private TextReport() {}

  public static void print(BenchReport report, PrintStream out) {
    BenchResult run = report.run();
    out.println();
    out.println(
        "zgres bench " + (run.settings().quick() ? "--quick " : "") + "(" + run.startedAt() + ")");
    out.println("machine: " + run.machine().summary());
    out.println("servers: " + run.servers());
    out.printf(
        "phases: %d s each, writers %s, open loop %s events/s; bridge JVM %s%n",
        run.settings().phaseSeconds(),
        run.settings().writerCounts(),
        rate(run.settings().openRate()),
        run.settings().bridgeJvmOptions());
    out.println();
    out.println(
        "Figures (latency: commit to receipt, ms (B1-clock, B1-pgbench: insert clock_timestamp() to receipt); ack p99: the bridge's own receipt to Kafka ack, bucket bound, ms;");
    out.println(
        "         ins p99: one autocommit INSERT as its writer waits for it, ms; CPU s/M: bridge CPU s per million events)");
    String header =
        String.format(
            "%-10s %3s %-13s %9s %9s %8s %8s %8s %8s %8s %8s %7s %8s %7s",
            "scenario",
            "w",
            "load",
            "writes/s",
            "recv/s",
            "p50",
            "p99",
            "p99.9",
            "max",
            "ack p99",
            "ins p99",
            "lost",
            "CPU s/M",
            "RSS MB");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (ScenarioResult s : run.scenarios()) {
      if (!s.ran()) {
        out.printf("%-10s n/a (%s)%n", s.id(), s.unavailable());
        continue;
      }
      for (PhaseResult p : s.phases()) {
        out.println(phaseLine(p));
      }
    }
    out.println();
    out.println("Targets (ratio = measured / reference)");
    String th =
        String.format(
            "%-68s %13s %13s %6s %7s %-6s",
            "target", "measured", "reference", "ratio", "need", "result");
    out.println(th);
    out.println("-".repeat(th.length()));
    for (TargetRow t : report.targets()) {
      out.printf(
          "%-68s %13s %13s %6s %7s %-6s%s%n",
          t.target(),
          value(t.measured(), t.unit()),
          value(t.reference(), t.unit()),
          ratio(t.ratio()),
          t.need(),
          t.verdict(),
          t.note() == null || t.note().isEmpty() ? "" : "  " + t.note());
    }
    out.flush();
  }

  private static String phaseLine(PhaseResult p) {
    String load = p.mode() + (p.purpose().isEmpty() ? "" : " *" + p.purpose());
    String recv = "-";
    String p50 = "-";
    String p99 = "-";
    String p999 = "-";
    String max = "-";
    String lost = "-";
    String ack = "-";
    if (p.delivery() != null) {
      recv = rate(p.delivery().rate());
      p50 = millis(p.delivery().latency().p50());
      p99 = millis(p.delivery().latency().p99());
      p999 = millis(p.delivery().latency().p999());
      max = millis(p.delivery().latency().max());
      lost = String.valueOf(p.delivery().missing());
      if (p.delivery().bridgeAck() != null && p.delivery().bridgeAck().count() > 0) {
        ack = "<=" + millis(p.delivery().bridgeAck().p99());
      }
    }
    String cpu = p.bridge() == null ? "-" : oneDecimal(p.bridge().cpuSecondsPerMillionEvents());
    String rss = p.bridge() == null ? "-" : String.format("%.0f", p.bridge().peakRssMegabytes());
    return String.format(
        "%-10s %3d %-13s %9s %9s %8s %8s %8s %8s %8s %8s %7s %8s %7s",
        p.scenario(),
        p.writers(),
        load,
        rate(p.writer().rate()),
        recv,
        p50,
        p99,
        p999,
        max,
        ack,
        millis(p.writer().commitLatency().p99()),
        lost,
        cpu,
        rss);
  }
}
