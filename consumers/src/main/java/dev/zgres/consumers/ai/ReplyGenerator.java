package dev.zgres.consumers.ai;

import java.util.List;

/** Writes the assistant's reply to a question, given the channel's earlier messages. */
public interface ReplyGenerator {
  /**
   * The reply to {@code question}; {@code history} holds the channel's earlier messages, oldest
   * first. Throws {@link ReplyFailedException} when no reply could be written.
   */
  Reply reply(Question question, List<HistoryMessage> history);

  /** Raised by a generator that could not answer (an endpoint down, a timeout, a bad answer). */
  final class ReplyFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplyFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
