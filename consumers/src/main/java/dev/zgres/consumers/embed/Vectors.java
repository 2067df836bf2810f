package dev.zgres.consumers.embed;

import java.util.List;

/** Arithmetic on embedding vectors. */
public final class Vectors {
  private Vectors() {}

  /** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors differ in length (" + a.length + " and " + b.length + ")");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
  }

  /** A copy of {@code v} scaled to unit length (all zeros stay zeros). */
  public static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = v.clone();
    if (norm == 0) {
      return out;
    }
    double scale = 1 / Math.sqrt(norm);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] * scale);
    }
    return out;
  }

  /** The normalised mean of non-empty {@code vectors} of one length. */
  public static float[] centroid(List<float[]> vectors) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("no vectors to average");
    }
    float[] sum = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    return normalized(sum);
  }
}
