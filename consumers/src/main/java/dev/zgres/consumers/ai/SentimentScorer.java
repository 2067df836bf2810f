package dev.zgres.consumers.ai;

import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.classify.SoftmaxClassifier;
import dev.zgres.consumers.classify.TextClassifier;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.Map;

/**
 * Sentiment of a chat message in [-1, 1]: P(positive) - P(negative) from a classifier with three
 * labels (positive, negative, neutral) trained over the message embeddings at start-up. A neutral
 * message scores near 0; the sign says the leaning, the size the confidence.
 */
public final class SentimentScorer {
  /** The labelled sentences shipped with zgres. */
  public static final String DATA = "/dev/zgres/consumers/ai/sentiment.tsv";

  private final TextClassifier classifier;

  public SentimentScorer(TextClassifier classifier) {
    this.classifier = classifier;
  }

  /** Trains on {@code set}, whose labels are positive, negative and neutral. */
  public static SentimentScorer train(TextEmbedder embedder, LabelledSet set) {
    return new SentimentScorer(
        TextClassifier.train(embedder, set, SoftmaxClassifier.Options.DEFAULT));
  }

  /** The score of a message whose embedding is {@code embedding}, in [-1, 1]. */
  public double score(float[] embedding) {
    Map<String, Double> p = classifier.predict(embedding);
    double score = p.getOrDefault("positive", 0.0) - p.getOrDefault("negative", 0.0);
    return Math.max(-1, Math.min(1, score));
  }

  /** The most probable label: positive, negative or neutral. */
  public String label(float[] embedding) {
    return classifier.classify(embedding);
  }

  public TextClassifier classifier() {
    return classifier;
  }
}
