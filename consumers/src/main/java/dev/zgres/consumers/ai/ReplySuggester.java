package dev.zgres.consumers.ai;

import dev.zgres.consumers.embed.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Suggests replies to a channel's latest question (the seed's {@code suggest_replies}), without a
 * generative model: first the earlier answers to the most similar earlier questions of the channel,
 * ranked by similarity, then fixed replies that fit any question, with a low confidence.
 * Deterministic.
 */
public final class ReplySuggester {
  private static final List<String> GENERIC =
      List.of(
          "Good question, let me check and get back to you.",
          "Could you share a bit more detail?",
          "I'm not sure, maybe someone else here knows?");
  private static final double GENERIC_CONFIDENCE = 0.2;
  private final double minSimilarity;

  public ReplySuggester(double minSimilarity) {
    this.minSimilarity = minSimilarity;
  }

  /**
   * Up to {@code n} suggestions answering {@code question} (the latest question, which is not in
   * {@code history}), best first.
   */
  public List<Suggestion> suggest(HistoryMessage question, List<HistoryMessage> history, int n) {
    record Candidate(String text, double similarity) {}
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      HistoryMessage earlier = history.get(i);
      if (!earlier.isQuestion() || earlier.embedding() == null || earlier.id() == question.id()) {
        continue;
      }
      double similarity = Vectors.cosine(question.embedding(), earlier.embedding());
      if (similarity < minSimilarity) {
        continue;
      }
      for (int j = i + 1; j < Math.min(history.size(), i + 4); j++) {
        HistoryMessage answer = history.get(j);
        if (!answer.isQuestion() && !answer.username().equals(earlier.username())) {
          candidates.add(new Candidate(OfflineResponder.quote(answer.content()), similarity));
          break;
        }
      }
    }
    candidates.sort(Comparator.comparingDouble(c -> -c.similarity()));
    Set<String> seen = new LinkedHashSet<>();
    List<Suggestion> out = new ArrayList<>();
    for (Candidate c : candidates) {
      if (out.size() < n && seen.add(c.text())) {
        out.add(new Suggestion(c.text(), Math.max(0, Math.min(1, c.similarity()))));
      }
    }
    for (String text : GENERIC) {
      if (out.size() < n && seen.add(text)) {
        out.add(new Suggestion(text, GENERIC_CONFIDENCE));
      }
    }
    return out;
  }
}
