package dev.zgres.consumers.classify;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** How predictions compare with the truth: accuracy, and precision and recall per label. */
public record Evaluation(int total, int correct, List<LabelScore> perLabel) {

  /** Precision and recall of one label, with the counts they come from. */
  public record LabelScore(String label, int truePositives, int predicted, int actual) {
    public double precision() {
      return predicted == 0 ? 1 : (double) truePositives / predicted;
    }

    public double recall() {
      return actual == 0 ? 1 : (double) truePositives / actual;
    }
  }

  /** Compares {@code predicted.get(i)} with {@code truth.get(i)}. */
  public static Evaluation of(List<String> truth, List<String> predicted) {
    if (truth.size() != predicted.size()) {
      throw new IllegalArgumentException("truth and predictions differ in number");
    }
    int correct = 0;
    for (int i = 0; i < truth.size(); i++) {
      if (truth.get(i).equals(predicted.get(i))) {
        correct++;
      }
    }
    List<String> labels =
        java.util.stream.Stream.concat(truth.stream(), predicted.stream()).distinct().toList();
    List<LabelScore> scores =
        labels.stream()
            .map(
                label -> {
                  int tp = 0;
                  int p = 0;
                  int a = 0;
                  for (int i = 0; i < truth.size(); i++) {
                    boolean isTruth = truth.get(i).equals(label);
                    boolean isPredicted = predicted.get(i).equals(label);
                    tp += isTruth && isPredicted ? 1 : 0;
                    p += isPredicted ? 1 : 0;
                    a += isTruth ? 1 : 0;
                  }
                  return new LabelScore(label, tp, p, a);
                })
            .toList();
    return new Evaluation(truth.size(), correct, scores);
  }

  public double accuracy() {
    return total == 0 ? 0 : (double) correct / total;
  }

  /** The score of {@code label}; a label never seen has no true positives. */
  public LabelScore of(String label) {
    return perLabel.stream()
        .filter(s -> Objects.equals(s.label(), label))
        .findFirst()
        .orElse(new LabelScore(label, 0, 0, 0));
  }

  /** A few lines for a log or a test report. */
  public String report() {
    StringBuilder out =
        new StringBuilder(
            String.format(Locale.ROOT, "accuracy %.3f (%d/%d)%n", accuracy(), correct, total));
    for (LabelScore s : perLabel) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-12s precision %.3f (%d/%d)  recall %.3f (%d/%d)%n",
              s.label(),
              s.precision(),
              s.truePositives(),
              s.predicted(),
              s.recall(),
              s.truePositives(),
              s.actual()));
    }
    return out.toString();
  }
}
