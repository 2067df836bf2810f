package dev.zgres.bench.report;

import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG: delivery latency p99 (log scale) against the delivered rate, one line per
 * scenario that receives events, a point per phase.
 */
final class LatencyPlot {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 160;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

  private record Point(double rate, double p99, String label) {}

  private LatencyPlot() {}

  static String svg(BenchResult run) {
    List<String> names = new ArrayList<>();
    List<List<Point>> series = new ArrayList<>();
    for (ScenarioResult s : run.scenarios()) {
      List<Point> points = new ArrayList<>();
      for (PhaseResult p : s.phases()) {
        if (p.delivery() != null && p.delivery().received() > 0) {
          points.add(new Point(p.delivery().rate(), Math.max(0.01, p.delivery().latency().p99()),
              p.writers() + "w " + p.mode()));
        }
      }
      if (!points.isEmpty()) {
        points.sort(Comparator.comparingDouble(Point::rate));
        names.add(s.id());
        series.add(points);
      }
    }
    double rateStep = niceStep(series.stream().flatMap(List::stream).mapToDouble(Point::rate).max().orElse(1) * 1.05 / 5);
    double maxRate = rateStep * 5;
    double minLog = Math.floor(Math.log10(series.stream().flatMap(List::stream).mapToDouble(Point::p99).min().orElse(1)));
    double maxLog = Math.ceil(Math.log10(series.stream().flatMap(List::stream).mapToDouble(Point::p99).max().orElse(10)));
    if (maxLog <= minLog) {
      maxLog = minLog + 1;
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"latency p99 against load\">%n",
        WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>%n",
        LEFT, TOP, plotW, plotH));
    for (double e = minLog; e <= maxLog; e++) {
      double y = TOP + plotH - (e - minLog) / (maxLog - minLog) * plotH;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, tick(Math.pow(10, e))));
    }
    for (int i = 0; i <= 5; i++) {
      double rate = maxRate * i / 5;
      double x = LEFT + plotW * i / 5.0;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          x, TOP, x, TOP + plotH, x, TOP + plotH + 16, Formats.rate(rate)));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">delivered events/s</text>%n", LEFT + plotW / 2, HEIGHT - 10));
    svg.append(String.format(Locale.ROOT,
        "<text transform=\"rotate(-90)\" x=\"%d\" y=\"14\" text-anchor=\"middle\">p99 commit to receipt (log)</text>%n",
        -(TOP + plotH / 2)));
    for (int s = 0; s < series.size(); s++) {
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (Point p : series.get(s)) {
        double x = LEFT + p.rate() / maxRate * plotW;
        double y = TOP + plotH - (Math.log10(p.p99()) - minLog) / (maxLog - minLog) * plotH;
        path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        svg.append(String.format(Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s %s: %s events/s, p99 %s ms</title></circle>%n",
            x, y, colour, HtmlReport.escape(names.get(s)), HtmlReport.escape(p.label()), Formats.rate(p.rate()),
            Formats.millis(p.p99())));
      }
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path, colour));
      int ly = TOP + 20 + s * 20;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
          LEFT + plotW + 15, ly - 4, colour, LEFT + plotW + 35, ly, HtmlReport.escape(names.get(s))));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least {@code raw}. */
  private static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= raw) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String tick(double v) {
    return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s", v);
  }
}
