package dev.zgres.consumers.ai;

import java.util.regex.Pattern;

/**
 * How important a message is, in [0, 1] (what the seed's {@code calculate_message_importance} asked
 * a model for): urgency words weigh most, then questions, mentions, a strongly negative tone and
 * exclamations. {@code chat.should_notify_user} treats above 0.7 as important. A plain weighted sum
 * of these signals, clipped to [0, 1], so that a score can be explained.
 */
public final class ImportanceScorer {
  private static final Pattern URGENT =
      Pattern.compile(
          "\\b(urgent|asap|emergency|critical|immediately|outage|blocker|blocking|incident|"
              + "down|broken|deadline|now)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MENTION = Pattern.compile("(^|[^\\p{Alnum}_])@\\w+");
  private static final Pattern DECISION =
      Pattern.compile(
          "\\b(decided|decision|approved|deadline|release|deploy|meeting|tomorrow|today)\\b",
          Pattern.CASE_INSENSITIVE);

  /** The importance of {@code content} whose sentiment is {@code sentiment} in [-1, 1]. */
  public double score(String content, double sentiment) {
    double score = 0.1;
    long urgentWords = URGENT.matcher(content).results().count();
    score += Math.min(2, urgentWords) * 0.3;
    if (DECISION.matcher(content).find()) {
      score += 0.1;
    }
    if (content.strip().endsWith("?")) {
      score += 0.1;
    }
    if (MENTION.matcher(content).find()) {
      score += 0.1;
    }
    if (sentiment < -0.5) {
      score += 0.1;
    }
    if (content.contains("!")) {
      score += 0.05;
    }
    return Math.max(0, Math.min(1, score));
  }
}
