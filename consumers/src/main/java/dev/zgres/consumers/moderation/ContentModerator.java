package dev.zgres.consumers.moderation;

import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.classify.SoftmaxClassifier;
import dev.zgres.consumers.classify.TextClassifier;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a message: a classifier over the message embedding (labels safe, spam, scam, phishing,
 * harassment, threat, hate, trained at start-up) plus the {@link QuickChecks}. The harm probability
 * {@code 1 - P(safe)} sets the level: at least {@code unsafeAt} is unsafe, at least {@code warnAt}
 * a warning, and a quick-check hit (other than the seed's mere mention of the words spam, scam or
 * phishing) lowers the warning bar to {@code 0.75 * warnAt}.
 */
public final class ContentModerator {
  /** The labelled sentences shipped with zgres. */
  public static final String DATA = "/dev/zgres/consumers/moderation/moderation.tsv";

  private static final String SAFE = "safe";
  // A quick-check hit is weak evidence: it lowers the warning bar by a quarter, no more.
  private static final double QUICK_CHECK_DISCOUNT = 0.75;
  private final TextClassifier classifier;
  private final QuickChecks quickChecks = new QuickChecks();
  private final double warnAt;
  private final double unsafeAt;

  public ContentModerator(TextClassifier classifier, double warnAt, double unsafeAt) {
    if (!(0 < warnAt && warnAt <= unsafeAt && unsafeAt < 1)) {
      throw new IllegalArgumentException("need 0 < warnAt <= unsafeAt < 1");
    }
    this.classifier = classifier;
    this.warnAt = warnAt;
    this.unsafeAt = unsafeAt;
  }

  /** Trains on {@code set} with the default thresholds (warning from 0.5, unsafe from 0.8). */
  public static ContentModerator train(TextEmbedder embedder, LabelledSet set) {
    return new ContentModerator(
        TextClassifier.train(embedder, set, SoftmaxClassifier.Options.DEFAULT), 0.5, 0.8);
  }

  /** The verdict on {@code content}, whose embedding is {@code embedding}. */
  public Verdict judge(String content, float[] embedding) {
    Map<String, Double> p = classifier.predict(embedding);
    double harm = 1 - p.getOrDefault(SAFE, 0.0);
    String category = "none";
    double best = -1;
    for (Map.Entry<String, Double> e : p.entrySet()) {
      if (!e.getKey().equals(SAFE) && e.getValue() > best) {
        category = e.getKey();
        best = e.getValue();
      }
    }
    List<String> hits = quickChecks.reasons(content);
    boolean evidence = hits.stream().anyMatch(r -> !r.equals(QuickChecks.NAMES_ABUSE));
    Verdict.Level level;
    if (harm >= unsafeAt) {
      level = Verdict.Level.UNSAFE;
    } else if (harm >= warnAt || (evidence && harm >= warnAt * QUICK_CHECK_DISCOUNT)) {
      level = Verdict.Level.WARNING;
    } else {
      return new Verdict(Verdict.Level.SAFE, "none", harm, List.of());
    }
    List<String> reasons = new ArrayList<>();
    reasons.add(String.format(Locale.ROOT, "classifier: %s (%.2f)", category, best));
    reasons.addAll(hits);
    return new Verdict(level, category, harm, reasons);
  }

  public TextClassifier classifier() {
    return classifier;
  }
}
