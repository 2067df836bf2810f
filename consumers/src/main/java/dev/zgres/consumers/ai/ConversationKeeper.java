package dev.zgres.consumers.ai;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a channel's derived state up to date after a new message: its summary (when {@code
 * chat.summary_due} says so) and the reply suggestions for its latest question.
 */
public final class ConversationKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationKeeper.class);
  private static final int SUMMARY_WINDOW = 50;
  private static final int SUGGESTIONS = 3;
  private static final int SUGGESTION_WINDOW = 100;

  private final AiStore store;
  private final ExtractiveSummarizer summarizer;
  private final ReplySuggester suggester;
  private final int summaryEvery;
  private final Duration summaryMaxAge;

  public ConversationKeeper(
      AiStore store,
      ExtractiveSummarizer summarizer,
      ReplySuggester suggester,
      int summaryEvery,
      Duration summaryMaxAge) {
    this.store = store;
    this.summarizer = summarizer;
    this.suggester = suggester;
    this.summaryEvery = summaryEvery;
    this.summaryMaxAge = summaryMaxAge;
  }

  /** Renews the summary when due; returns whether it did. */
  public boolean refreshSummary(int channelId) throws SQLException {
    if (!store.summaryDue(channelId, summaryEvery, summaryMaxAge)) {
      return false;
    }
    List<HistoryMessage> recent =
        store.history(channelId, Long.MAX_VALUE, SUMMARY_WINDOW).stream()
            .filter(m -> m.embedding() != null && !m.fromAssistant())
            .toList();
    if (recent.isEmpty()) {
      return false;
    }
    Summary summary = summarizer.summarize(recent);
    store.saveSummary(channelId, summary);
    LOG.info("summary of channel {} saved: {}", channelId, summary.text());
    return true;
  }

  /** Stores suggestions answering {@code question}, the channel's latest question. */
  public List<Suggestion> suggestFor(HistoryMessage question, int channelId) throws SQLException {
    List<HistoryMessage> history = store.history(channelId, question.id(), SUGGESTION_WINDOW);
    List<Suggestion> suggestions = suggester.suggest(question, history, SUGGESTIONS);
    store.saveSuggestions(channelId, question.id(), suggestions);
    return suggestions;
  }
}
