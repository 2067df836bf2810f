package dev.zgres.consumers.ai;

import dev.zgres.consumers.embed.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Summarises a conversation without a generative model: each message's centrality is its mean
 * cosine similarity to the other messages, the most central ones become the key points (shown in
 * the order they were written), and the summary's embedding is the centroid of all messages.
 * Deterministic: ties go to the earlier message.
 */
public final class ExtractiveSummarizer {
  private static final int POINT_CHARS = 160;
  private final int keyPoints;

  public ExtractiveSummarizer(int keyPoints) {
    if (keyPoints < 1) {
      throw new IllegalArgumentException("keyPoints must be at least 1 (was " + keyPoints + ")");
    }
    this.keyPoints = keyPoints;
  }

  /** The summary of {@code messages} (oldest first; those without an embedding are skipped). */
  public Summary summarize(List<HistoryMessage> messages) {
    List<HistoryMessage> usable =
        messages.stream().filter(m -> m.embedding() != null && !m.fromAssistant()).toList();
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("nothing to summarise");
    }
    int n = usable.size();
    double[] centrality = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = Vectors.cosine(usable.get(i).embedding(), usable.get(j).embedding());
        centrality[i] += s;
        centrality[j] += s;
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -centrality[i]).thenComparing(i -> i));
    List<Integer> chosen = order.subList(0, Math.min(keyPoints, n)).stream().sorted().toList();
    List<String> points = new ArrayList<>();
    for (int i : chosen) {
      HistoryMessage m = usable.get(i);
      points.add(m.username() + ": " + OfflineResponder.quote(shorten(m.content())));
    }
    Set<String> people = new LinkedHashSet<>();
    usable.forEach(m -> people.add(m.username()));
    String text =
        n
            + (n == 1 ? " message" : " messages")
            + " from "
            + String.join(", ", people)
            + ". Main points: "
            + String.join(" | ", points);
    return new Summary(
        text, points, Vectors.centroid(usable.stream().map(HistoryMessage::embedding).toList()));
  }

  private static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= POINT_CHARS ? flat : flat.substring(0, POINT_CHARS - 1) + "…";
  }
}
