package dev.zgres.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One inline SVG bar chart per target: for each load the target was judged at (its rows, e.g. 1, 4
 * and 16 writers), the measured value beside the reference it is compared with (the baseline's
 * value times the ratio needed, or the limit), in the target's unit. Rows of one target share the
 * text before their first comma. Targets with nothing measured get no plot.
 */
final class TargetPlots {
  private static final int BAR = 26;
  private static final int GAP = 56;
  private static final int HEIGHT = 150;
  private static final int TOP = 18;
  private static final int LEFT = 60;

  private TargetPlots() {}

  static String html(List<TargetRow> rows) {
    Map<String, List<TargetRow>> groups = new LinkedHashMap<>();
    for (TargetRow r : rows) {
      if (r.measured() == null || r.reference() == null) {
        continue;
      }
      int comma = r.target().indexOf(", ");
      String family = comma < 0 ? r.target() : r.target().substring(0, comma);
      groups.computeIfAbsent(family, k -> new ArrayList<>()).add(r);
    }
    StringBuilder h = new StringBuilder();
    groups.forEach((family, group) -> h.append(svg(family, group)));
    return h.toString();
  }

  private static String svg(String family, List<TargetRow> group) {
    double max = 0;
    for (TargetRow r : group) {
      max = Math.max(max, Math.max(r.measured(), bound(r)));
    }
    max = max <= 0 ? 1 : max * 1.1;
    int width = LEFT + group.size() * (2 * BAR + GAP) + GAP;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<figure><figcaption>%s (%s; dark: measured, light: what passes)</figcaption>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">",
            HtmlReport.escape(family),
            HtmlReport.escape(group.get(0).unit()),
            width,
            HEIGHT + TOP + 40));
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                + "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>",
            LEFT,
            TOP + HEIGHT,
            width,
            TOP + HEIGHT,
            TOP + 4,
            HtmlReport.escape(number(max))));
    int x = LEFT + GAP;
    for (TargetRow r : group) {
      s.append(bar(x, r.measured(), max, colour(r), r.target()));
      s.append(bar(x + BAR, bound(r), max, "#bdbdbd", "passes at " + number(bound(r))));
      int comma = r.target().indexOf(", ");
      String label = comma < 0 ? "" : r.target().substring(comma + 2);
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%s</text>",
              x + BAR,
              TOP + HEIGHT + 14,
              HtmlReport.escape(label.length() > 22 ? label.substring(0, 22) : label)));
      x += 2 * BAR + GAP;
    }
    return s.append("</svg></figure>\n").toString();
  }

  private static String colour(TargetRow r) {
    return switch (r.verdict()) {
      case TargetRow.PASS -> "#2e7d32";
      case TargetRow.MISS -> "#c62828";
      default -> "#f9a825";
    };
  }

  /** The value that just passes: reference times the ratio needed. */
  private static double bound(TargetRow r) {
    String need = r.need().replaceAll("[^0-9.]", "");
    double factor = need.isEmpty() ? 1 : Double.parseDouble(need);
    return r.reference() * factor;
  }

  private static String bar(int x, double value, double max, String colour, String title) {
    int h = (int) Math.round(Math.max(0, value) / max * HEIGHT);
    return String.format(
        Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>"
            + "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%s</text>",
        x,
        TOP + HEIGHT - h,
        BAR - 2,
        h,
        colour,
        HtmlReport.escape(title),
        number(value),
        x + BAR / 2,
        TOP + HEIGHT - h - 3,
        number(value));
  }

  private static String number(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }
}
