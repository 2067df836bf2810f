package dev.zgres.bench.report;

/**
 * One target of issue #5 and how this run fared.
 *
 * @param target what is required, e.g. {@code notify throughput >= 0.95 x B1 (4 writers, closed
 *     loop)}
 * @param measured the measured value, null when not measured
 * @param reference what it is compared with: the baseline's value or the absolute limit; null for
 *     n/a
 * @param unit unit of measured and reference
 * @param ratio measured / reference; null for n/a
 * @param need the ratio that passes, e.g. {@code >= 0.95}
 * @param verdict PASS, MISS or n/a
 * @param note how it was measured, or why it is n/a
 */
public record TargetRow(
    String target,
    Double measured,
    Double reference,
    String unit,
    Double ratio,
    String need,
    String verdict,
    String note) {
  public static final String PASS = "PASS";
  public static final String MISS = "MISS";
  public static final String NA = "n/a";

  /** A row whose ratio must be at least {@code min}. */
  static TargetRow atLeast(
      String target, double measured, double reference, String unit, double min, String note) {
    double ratio = measured / reference;
    boolean valid = Double.isFinite(ratio);
    return new TargetRow(
        target,
        measured,
        reference,
        unit,
        valid ? ratio : null,
        ">= " + min,
        !valid ? NA : ratio >= min ? PASS : MISS,
        note);
  }

  /** A row whose ratio must be at most {@code max}. */
  static TargetRow atMost(
      String target, double measured, double reference, String unit, double max, String note) {
    double ratio = measured / reference;
    boolean valid = Double.isFinite(ratio);
    return new TargetRow(
        target,
        measured,
        reference,
        unit,
        valid ? ratio : null,
        "<= " + max,
        !valid ? NA : ratio <= max ? PASS : MISS,
        note);
  }

  static TargetRow notAvailable(String target, String need, String reason) {
    return new TargetRow(target, null, null, "", null, need, NA, reason);
  }
}
