package dev.zgres.consumers.moderation;

import java.util.List;

/**
 * The moderator's judgement of one message: {@code level} is safe, warning or unsafe; {@code
 * category} the most likely kind of harm (spam, scam, phishing, harassment, threat, hate) or {@code
 * none}; {@code harm} the classifier's probability that the message is not safe; {@code reasons}
 * what {@code chat.flag_message} records.
 */
public record Verdict(Level level, String category, double harm, List<String> reasons) {
  public Verdict {
    reasons = List.copyOf(reasons);
  }

  /** Safe messages leave no trace; the others are flagged. */
  public enum Level {
    SAFE,
    WARNING,
    UNSAFE;

    /** The name {@code chat.flag_message} takes. */
    public String sqlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean flagged() {
    return level != Level.SAFE;
  }
}
