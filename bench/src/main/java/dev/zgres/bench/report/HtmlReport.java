package dev.zgres.bench.report;

import static dev.zgres.bench.report.Formats.*;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One self-contained HTML page: targets, figures and the latency plot, with no external file. */
public final class HtmlReport {
  private static final String STYLE =
      """
      body{font-family:sans-serif;margin:2em;color:#222;max-width:1200px}
      table{border-collapse:collapse;margin:1em 0;font-size:13px}
      th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
      th{background:#eee}td.l,th.l{text-align:left}td{white-space:nowrap}td.l{white-space:normal}
      .PASS{background:#d8f5d8}.MISS{background:#f8d4d4}.na{background:#eee;color:#666}
      .meta{color:#555;font-size:13px}
      """;

  private HtmlReport() {}

  public static void write(BenchReport report, Path file) throws IOException {
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  static String render(BenchReport report) {
    BenchResult run = report.run();
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>zgres bench</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>zgres bench").append(run.settings().quick() ? " (quick)" : "").append("</h1>\n");
    h.append("<p class=\"meta\">")
        .append(escape(run.startedAt()))
        .append("<br>machine: ")
        .append(escape(run.machine().summary()))
        .append("<br>servers: ")
        .append(escape(run.servers()))
        .append("<br>")
        .append(
            escape(
                String.format(
                    "%d s phases, writers %s, open loop %s events/s, bridge JVM %s",
                    run.settings().phaseSeconds(),
                    run.settings().writerCounts(),
                    rate(run.settings().openRate()),
                    run.settings().bridgeJvmOptions())))
        .append("</p>\n");
    h.append(
        "<h2>Targets</h2>\n<p class=\"meta\">ratio = measured / reference (the baseline measured in this run, or the limit)</p>\n");
    h.append(
        "<table><tr><th class=\"l\">target</th><th>measured</th><th>reference</th><th>ratio</th><th>need</th>"
            + "<th>result</th><th class=\"l\">note</th></tr>\n");
    for (TargetRow t : report.targets()) {
      String cls = t.verdict().equals(TargetRow.NA) ? "na" : t.verdict();
      h.append("<tr><td class=\"l\">")
          .append(escape(t.target()))
          .append("</td><td>")
          .append(escape(value(t.measured(), t.unit())))
          .append("</td><td>")
          .append(escape(value(t.reference(), t.unit())))
          .append("</td><td>")
          .append(ratio(t.ratio()))
          .append("</td><td>")
          .append(escape(t.need()))
          .append("</td><td class=\"")
          .append(cls)
          .append("\">")
          .append(escape(t.verdict()))
          .append("</td><td class=\"l\">")
          .append(escape(t.note()))
          .append("</td></tr>\n");
    }
    h.append(
            "</table>\n<h2>Each target: measured against what passes</h2>\n<p class=\"meta\">one"
                + " plot per target, a pair of bars per load it is judged at</p>\n")
        .append(TargetPlots.html(report.targets()));
    h.append(
            "<h2>Latency p99 against load</h2>\n<p class=\"meta\">each point is one phase; hover for its delivered rate</p>\n")
        .append(LatencyPlot.svg(run));
    h.append(
        "<h2>Figures</h2>\n<p class=\"meta\">latency: commit (as the writer saw it return) to receipt, ms; "
            + "ack p99: the bridge's own receipt to Kafka acknowledgement (upper bound of its histogram bucket), ms; "
            + "insert p99: one autocommit INSERT as the writer waits for it, ms; CPU s/M: bridge CPU seconds per million "
            + "events; RSS: the bridge's peak VmRSS</p>\n");
    h.append(
        "<table><tr><th class=\"l\">scenario</th><th>writers</th><th class=\"l\">load</th><th>writes/s</th>"
            + "<th>received/s</th><th>p50</th><th>p99</th><th>p99.9</th><th>max</th><th>ack p99</th><th>insert p99</th><th>lost</th>"
            + "<th>CPU s/M</th><th>RSS MB</th></tr>\n");
    for (ScenarioResult s : run.scenarios()) {
      if (!s.ran()) {
        h.append("<tr><td class=\"l\">")
            .append(escape(s.id()))
            .append("</td><td class=\"l na\" colspan=\"13\">n/a (")
            .append(escape(s.unavailable()))
            .append(")</td></tr>\n");
        continue;
      }
      for (PhaseResult p : s.phases()) {
        h.append(phaseRow(p));
      }
    }
    h.append("</table>\n<h2>Scenarios</h2>\n<ul>\n");
    for (ScenarioResult s : run.scenarios()) {
      h.append("<li><b>")
          .append(escape(s.id()))
          .append("</b>: ")
          .append(escape(s.description()))
          .append("</li>\n");
    }
    h.append("</ul>\n</body></html>\n");
    return h.toString();
  }

  private static String phaseRow(PhaseResult p) {
    StringBuilder r =
        new StringBuilder("<tr><td class=\"l\">")
            .append(escape(p.scenario()))
            .append("</td><td>")
            .append(p.writers())
            .append("</td><td class=\"l\">")
            .append(escape(p.mode()))
            .append(p.purpose().isEmpty() ? "" : " (" + escape(p.purpose()) + ")")
            .append("</td><td>")
            .append(rate(p.writer().rate()))
            .append("</td>");
    if (p.delivery() == null) {
      r.append("<td>-</td>".repeat(6));
    } else {
      r.append("<td>")
          .append(rate(p.delivery().rate()))
          .append("</td><td>")
          .append(millis(p.delivery().latency().p50()))
          .append("</td><td>")
          .append(millis(p.delivery().latency().p99()))
          .append("</td><td>")
          .append(millis(p.delivery().latency().p999()))
          .append("</td><td>")
          .append(millis(p.delivery().latency().max()))
          .append("</td><td>")
          .append(
              p.delivery().bridgeAck() == null || p.delivery().bridgeAck().count() == 0
                  ? "-"
                  : "&le; " + millis(p.delivery().bridgeAck().p99()))
          .append("</td>");
    }
    r.append("<td>")
        .append(millis(p.writer().commitLatency().p99()))
        .append("</td><td>")
        .append(p.delivery() == null ? "-" : String.valueOf(p.delivery().missing()))
        .append("</td><td>")
        .append(p.bridge() == null ? "-" : oneDecimal(p.bridge().cpuSecondsPerMillionEvents()))
        .append("</td><td>")
        .append(p.bridge() == null ? "-" : String.format("%.0f", p.bridge().peakRssMegabytes()))
        .append("</td></tr>\n");
    return r.toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
