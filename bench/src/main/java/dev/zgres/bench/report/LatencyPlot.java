package dev.zgres.bench.report;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An inline SVG: delivery latency p99 (log scale) at each load of the grid (writers and loop, in
 * the order run), one line per scenario that receives events. Each point's tooltip has its rate.
 */
final class LatencyPlot {
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 110;
  private static final int TOP = 20;
  private static final int BOTTOM = 90;
  private static final int SLOT = 78;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

  private record Point(int slot, double rate, double p99) {}

  private LatencyPlot() {}

  static String svg(BenchResult run) {
    Map<String, Integer> slots = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<List<Point>> series = new ArrayList<>();
    for (ScenarioResult s : run.scenarios()) {
      List<Point> points = new ArrayList<>();
      for (PhaseResult p : s.phases()) {
        if (p.delivery() != null && p.delivery().received() > 0) {
          int slot = slots.computeIfAbsent(label(p), k -> slots.size());
          points.add(
              new Point(slot, p.delivery().rate(), Math.max(0.01, p.delivery().latency().p99())));
        }
      }
      if (!points.isEmpty()) {
        names.add(s.id());
        series.add(points);
      }
    }
    double minLog =
        Math.floor(
            Math.log10(
                series.stream().flatMap(List::stream).mapToDouble(Point::p99).min().orElse(1)));
    double maxLog =
        Math.ceil(
            Math.log10(
                series.stream().flatMap(List::stream).mapToDouble(Point::p99).max().orElse(10)));
    if (maxLog <= minLog) {
      maxLog = minLog + 1;
    }
    int plotW = Math.max(1, slots.size()) * SLOT;
    int width = LEFT + plotW + RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"latency p99 against load\">%n",
            width,
            HEIGHT,
            width,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    for (double e = minLog; e <= maxLog; e++) {
      double y = y(Math.pow(10, e), minLog, maxLog, plotH);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
              LEFT,
              y,
              LEFT + plotW,
              y,
              LEFT - 6,
              y + 4,
              tick(Math.pow(10, e))));
    }
    for (Map.Entry<String, Integer> slot : slots.entrySet()) {
      double x = x(slot.getValue());
      String[] words = slot.getKey().split("\n");
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
              x,
              TOP,
              x,
              TOP + plotH));
      for (int i = 0; i < words.length; i++) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x,
                TOP + plotH + 16 + 14 * i,
                HtmlReport.escape(words[i])));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">load (writers, loop)</text>%n",
            LEFT + plotW / 2,
            HEIGHT - 12));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"rotate(-90)\" x=\"%d\" y=\"14\" text-anchor=\"middle\">p99 commit to receipt (log)</text>%n",
            -(TOP + plotH / 2)));
    for (int s = 0; s < series.size(); s++) {
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (Point p : series.get(s)) {
        double x = x(p.slot());
        double y = y(p.p99(), minLog, maxLog, plotH);
        path.append(path.isEmpty() ? "M" : " L")
            .append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: %s events/s delivered, p99 %s ms</title></circle>%n",
                x,
                y,
                colour,
                HtmlReport.escape(names.get(s)),
                Formats.rate(p.rate()),
                Formats.millis(p.p99())));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
              path,
              colour));
      int ly = TOP + 20 + s * 20;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
              LEFT + plotW + 15,
              ly - 4,
              colour,
              LEFT + plotW + 35,
              ly,
              HtmlReport.escape(names.get(s))));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Two lines under the axis: {@code 4 writers} and {@code closed}, or {@code open 1,000/s}. */
  private static String label(PhaseResult p) {
    return p.writers()
        + (p.writers() == 1 ? " writer" : " writers")
        + "\n"
        + p.mode()
        + (p.purpose().isEmpty() ? "" : "\n(" + p.purpose() + ")");
  }

  private static double x(int slot) {
    return LEFT + SLOT * (slot + 0.5);
  }

  private static double y(double value, double minLog, double maxLog, int plotH) {
    return TOP + plotH - (Math.log10(value) - minLog) / (maxLog - minLog) * plotH;
  }

  private static String tick(double v) {
    return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s", v);
  }
}
