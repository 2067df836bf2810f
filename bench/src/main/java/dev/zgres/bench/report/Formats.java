package dev.zgres.bench.report;

import java.util.Locale;

/** Number formats shared by the text and HTML reports. */
final class Formats {
  private Formats() {}

  static String rate(double eventsPerSecond) {
    return Double.isFinite(eventsPerSecond)
        ? String.format(Locale.ROOT, "%,.0f", eventsPerSecond)
        : "-";
  }

  static String millis(double ms) {
    if (!Double.isFinite(ms)) {
      return "-";
    }
    return ms < 10
        ? String.format(Locale.ROOT, "%.2f", ms)
        : String.format(Locale.ROOT, "%,.1f", ms);
  }

  static String value(Double v, String unit) {
    if (v == null) {
      return "-";
    }
    return switch (unit) {
      case "ms" -> millis(v) + " ms";
      case "MB" -> String.format(Locale.ROOT, "%.0f MB", v);
      case "events/s" -> rate(v) + "/s";
      default -> String.format(Locale.ROOT, "%.2f %s", v, unit);
    };
  }

  static String ratio(Double r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
  }

  static String oneDecimal(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
  }
}
