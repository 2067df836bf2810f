package dev.zgres.consumers.ai;

import java.util.regex.Pattern;

/**
 * An earlier message of a channel as the AI features see it: who wrote it, what it says, its
 * embedding, and whether the assistant wrote it.
 */
public record HistoryMessage(
    long id, String username, String content, float[] embedding, boolean fromAssistant) {
  private static final Pattern ASKS_ASSISTANT =
      Pattern.compile("(^|[^\\p{Alnum}_])@ai\\b|\\bhelp\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern QUESTION_WORD =
      Pattern.compile(
          "^(how|what|why|where|when|who|which|is|are|can|could|does|do|should|anyone)\\b",
          Pattern.CASE_INSENSITIVE);

  public HistoryMessage {
    username = username == null ? "someone" : username;
  }

  /** True for a question: it ends with '?', starts with a question word, or asks for help. */
  public boolean isQuestion() {
    String text = content.strip();
    return text.endsWith("?")
        || QUESTION_WORD.matcher(withoutMention(text)).find()
        || ASKS_ASSISTANT.matcher(text).find();
  }

  /** The text without {@code @ai} mentions, for matching by meaning. */
  public static String withoutMention(String text) {
    return text.replaceAll("(?i)(^|\\s)@ai\\b[,:]?", " ").strip();
  }
}
