package dev.zgres.consumers.ai;

import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.consumers.embed.Vectors;
import java.util.List;

/**
 * Answers from the channel's own history, without any generative model: the question is embedded,
 * compared with earlier messages, and the reply quotes the best earlier answer. An earlier message
 * can be chosen for its own similarity to the question, or because it answered an earlier question
 * similar to this one (the next message by someone else after that question). When nothing reaches
 * {@code minSimilarity}, the reply says plainly that the assistant does not know yet. Same question
 * and history, same reply.
 */
public final class OfflineResponder implements ReplyGenerator {
  /** The generator name recorded in the reply's metadata. */
  public static final String GENERATOR = "offline";

  private static final int ANSWER_WINDOW = 3;
  private static final int QUOTE_CHARS = 300;

  private final TextEmbedder embedder;
  private final double minSimilarity;

  public OfflineResponder(TextEmbedder embedder, double minSimilarity) {
    this.embedder = embedder;
    this.minSimilarity = minSimilarity;
  }

  /** An earlier message that may answer a question, and how well it matches. */
  public record Match(HistoryMessage answer, HistoryMessage viaQuestion, double similarity) {}

  @Override
  public Reply reply(Question question, List<HistoryMessage> history) {
    String asked = question.asked();
    Match best = bestMatch(embedder.embed(asked.isBlank() ? question.content() : asked), history);
    String to = "@" + question.username();
    if (best == null || best.similarity() < minSimilarity) {
      return Reply.of(
          to
              + " I don't know yet: nothing earlier in #"
              + question.channelName()
              + " answers \""
              + quote(asked)
              + "\". Someone here may know.",
          GENERATOR);
    }
    HistoryMessage answer = best.answer();
    String text =
        best.viaQuestion() != null
            ? to
                + " this was asked before (\""
                + quote(best.viaQuestion().content())
                + "\"), and "
                + answer.username()
                + " answered: \""
                + quote(answer.content())
                + "\" (message #"
                + answer.id()
                + ")"
            : to
                + " "
                + answer.username()
                + " said earlier: \""
                + quote(answer.content())
                + "\" (message #"
                + answer.id()
                + ")";
    return Reply.of(text, GENERATOR);
  }

  /**
   * The earlier message that best answers a question embedded as {@code query}, or null when
   * history has no candidate. Questions and the assistant's own messages are never chosen as
   * answers.
   */
  public Match bestMatch(float[] query, List<HistoryMessage> history) {
    Match best = null;
    for (int i = 0; i < history.size(); i++) {
      HistoryMessage candidate = history.get(i);
      if (candidate.fromAssistant() || candidate.isQuestion() || candidate.embedding() == null) {
        continue;
      }
      Match match = new Match(candidate, null, Vectors.cosine(query, candidate.embedding()));
      HistoryMessage asked = precedingQuestion(history, i);
      if (asked != null) {
        double viaQuestion = Vectors.cosine(query, asked.embedding());
        if (viaQuestion > match.similarity()) {
          match = new Match(candidate, asked, viaQuestion);
        }
      }
      if (best == null || match.similarity() > best.similarity()) {
        best = match;
      }
    }
    return best;
  }

  private static HistoryMessage precedingQuestion(List<HistoryMessage> history, int answerIndex) {
    HistoryMessage answer = history.get(answerIndex);
    for (int j = answerIndex - 1; j >= Math.max(0, answerIndex - ANSWER_WINDOW); j--) {
      HistoryMessage earlier = history.get(j);
      if (earlier.isQuestion()
          && earlier.embedding() != null
          && !earlier.fromAssistant()
          && !earlier.username().equals(answer.username())) {
        return earlier;
      }
    }
    return null;
  }

  static String quote(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= QUOTE_CHARS ? flat : flat.substring(0, QUOTE_CHARS - 1) + "…";
  }
}
