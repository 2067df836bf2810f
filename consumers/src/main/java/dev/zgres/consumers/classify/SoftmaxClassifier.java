package dev.zgres.consumers.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multinomial logistic regression (a softmax layer) over fixed feature vectors, such as text
 * embeddings. Training is full-batch gradient descent from zero weights with L2 regularisation and
 * a fixed number of epochs: the same examples in the same order give the same weights.
 */
public final class SoftmaxClassifier {
  private final List<String> labels;
  private final double[][] weights;
  private final double[] bias;

  private SoftmaxClassifier(List<String> labels, double[][] weights, double[] bias) {
    this.labels = List.copyOf(labels);
    this.weights = weights;
    this.bias = bias;
  }

  /** How training runs: epochs, learning rate, L2 penalty. */
  public record Options(int epochs, double learningRate, double l2) {
    public static final Options DEFAULT = new Options(400, 2.0, 1e-4);

    public Options {
      if (epochs < 1 || learningRate <= 0 || l2 < 0) {
        throw new IllegalArgumentException(
            "epochs must be at least 1, learning rate positive, l2 not negative");
      }
    }
  }

  /**
   * Trains on {@code features.get(i)} labelled {@code labels.get(i)}; every vector has the same
   * length and there are at least two distinct labels.
   */
  public static SoftmaxClassifier train(
      List<float[]> features, List<String> labels, Options options) {
    if (features.size() != labels.size() || features.isEmpty()) {
      throw new IllegalArgumentException("need as many labels as feature vectors, at least one");
    }
    List<String> classes = labels.stream().distinct().toList();
    if (classes.size() < 2) {
      throw new IllegalArgumentException("need at least two labels (was " + classes + ")");
    }
    int n = features.size();
    int d = features.get(0).length;
    int k = classes.size();
    int[] target = new int[n];
    for (int i = 0; i < n; i++) {
      target[i] = classes.indexOf(labels.get(i));
      if (features.get(i).length != d) {
        throw new IllegalArgumentException("feature vector " + i + " has a different length");
      }
    }
    double[][] w = new double[k][d];
    double[] b = new double[k];
    double[] p = new double[k];
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      double[][] gw = new double[k][d];
      double[] gb = new double[k];
      for (int i = 0; i < n; i++) {
        float[] x = features.get(i);
        probabilities(w, b, x, p);
        for (int c = 0; c < k; c++) {
          double err = p[c] - (target[i] == c ? 1 : 0);
          gb[c] += err;
          double[] row = gw[c];
          for (int j = 0; j < d; j++) {
            row[j] += err * x[j];
          }
        }
      }
      double step = options.learningRate() / n;
      for (int c = 0; c < k; c++) {
        b[c] -= step * gb[c];
        for (int j = 0; j < d; j++) {
          w[c][j] -= step * gw[c][j] + options.learningRate() * options.l2() * w[c][j];
        }
      }
    }
    return new SoftmaxClassifier(classes, w, b);
  }

  /** The probability of each label for {@code x}, in {@link #labels()} order; they sum to 1. */
  public Map<String, Double> predict(float[] x) {
    double[] p = new double[labels.size()];
    probabilities(weights, bias, x, p);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int c = 0; c < p.length; c++) {
      out.put(labels.get(c), p[c]);
    }
    return out;
  }

  /** The most probable label for {@code x} (the first one on a tie). */
  public String classify(float[] x) {
    String best = null;
    double bestP = -1;
    for (Map.Entry<String, Double> e : predict(x).entrySet()) {
      if (e.getValue() > bestP) {
        best = e.getKey();
        bestP = e.getValue();
      }
    }
    return best;
  }

  public List<String> labels() {
    return new ArrayList<>(labels);
  }

  private static void probabilities(double[][] w, double[] b, float[] x, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < w.length; c++) {
      double z = b[c];
      double[] row = w[c];
      for (int j = 0; j < row.length; j++) {
        z += row[j] * x[j];
      }
      out[c] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int c = 0; c < out.length; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < out.length; c++) {
      out[c] /= sum;
    }
  }
}
