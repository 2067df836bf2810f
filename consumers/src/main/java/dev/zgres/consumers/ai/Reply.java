package dev.zgres.consumers.ai;

/**
 * An assistant's reply and which generator wrote it ({@code offline} or {@code llm:<model>}),
 * stored in the reply message's metadata; {@code fallbackReason} is set when the configured LLM
 * failed and the offline responder answered instead.
 */
public record Reply(String text, String generator, String fallbackReason) {
  public Reply {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a reply must not be blank");
    }
  }

  public static Reply of(String text, String generator) {
    return new Reply(text, generator, null);
  }

  /** The same reply, noting why the preferred generator was not used. */
  public Reply fellBackBecause(String reason) {
    return new Reply(text, generator, reason);
  }
}
