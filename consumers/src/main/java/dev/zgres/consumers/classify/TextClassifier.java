package dev.zgres.consumers.classify;

import dev.zgres.consumers.embed.TextEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A softmax head over a text embedder, trained on a labelled set when it is built (start-up): the
 * texts are embedded once, then {@link SoftmaxClassifier} learns from the vectors.
 */
public final class TextClassifier {
  private final SoftmaxClassifier head;
  private final Duration trainingTime;

  private TextClassifier(SoftmaxClassifier head, Duration trainingTime) {
    this.head = head;
    this.trainingTime = trainingTime;
  }

  /** Embeds every example of {@code set} with {@code embedder} and trains the head on them. */
  public static TextClassifier train(
      TextEmbedder embedder, LabelledSet set, SoftmaxClassifier.Options options) {
    long start = System.nanoTime();
    List<float[]> features = new ArrayList<>(set.size());
    List<String> labels = new ArrayList<>(set.size());
    for (LabelledText example : set.examples()) {
      features.add(embedder.embed(example.text()));
      labels.add(example.label());
    }
    SoftmaxClassifier head = SoftmaxClassifier.train(features, labels, options);
    return new TextClassifier(head, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The probability of each label for a text whose embedding is {@code embedding}. */
  public Map<String, Double> predict(float[] embedding) {
    return head.predict(embedding);
  }

  /** The most probable label for a text whose embedding is {@code embedding}. */
  public String classify(float[] embedding) {
    return head.classify(embedding);
  }

  /** Embedding the examples plus training the head. */
  public Duration trainingTime() {
    return trainingTime;
  }
}
