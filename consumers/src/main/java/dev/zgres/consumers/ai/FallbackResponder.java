package dev.zgres.consumers.ai;

import java.util.List;
import java.util.function.Consumer;

/**
 * Asks the preferred generator (an LLM) and, when it fails, the fallback (the offline responder);
 * the reply then records why the preferred one was not used, and {@code onFallback} hears the
 * failure (a meter, a log line).
 */
public final class FallbackResponder implements ReplyGenerator {
  private final ReplyGenerator preferred;
  private final ReplyGenerator fallback;
  private final Consumer<ReplyFailedException> onFallback;

  public FallbackResponder(
      ReplyGenerator preferred,
      ReplyGenerator fallback,
      Consumer<ReplyFailedException> onFallback) {
    this.preferred = preferred;
    this.fallback = fallback;
    this.onFallback = onFallback;
  }

  @Override
  public Reply reply(Question question, List<HistoryMessage> history) {
    try {
      return preferred.reply(question, history);
    } catch (ReplyFailedException e) {
      onFallback.accept(e);
      return fallback.reply(question, history).fellBackBecause(e.getMessage());
    }
  }
}
