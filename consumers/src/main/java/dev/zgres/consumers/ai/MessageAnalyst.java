package dev.zgres.consumers.ai;

import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.embed.TextEmbedder;
import java.sql.SQLException;

/**
 * The AI worker's work for one chat event: a user's message gets its embedding, sentiment and
 * importance stored; a question gets reply suggestions, and assistant requests are answered; the
 * channel's summary is renewed when due. Events of other kinds are ignored. Every step is safe to
 * repeat when a record is delivered again.
 */
public final class MessageAnalyst {
  /**
   * Requests answered on the consumer loop's thread per question record; the request sweeper
   * answers any others, so a slow LLM endpoint cannot hold the loop for long.
   */
  static final int REPLIES_PER_RECORD = 3;

  private final TextEmbedder embedder;
  private final SentimentScorer sentiment;
  private final ImportanceScorer importance;
  private final AiStore store;
  private final AssistantDesk desk;
  private final ConversationKeeper keeper;

  public MessageAnalyst(
      TextEmbedder embedder,
      SentimentScorer sentiment,
      ImportanceScorer importance,
      AiStore store,
      AssistantDesk desk,
      ConversationKeeper keeper) {
    this.embedder = embedder;
    this.sentiment = sentiment;
    this.importance = importance;
    this.store = store;
    this.desk = desk;
    this.keeper = keeper;
  }

  /** What handling one event did. */
  public record Outcome(boolean analysed, int replies, boolean summarised) {
    static final Outcome IGNORED = new Outcome(false, 0, false);
  }

  public Outcome handle(ChatEvent event) throws SQLException {
    if (!event.isUserText()) {
      return Outcome.IGNORED;
    }
    float[] vector = embedder.embed(event.content());
    double score = sentiment.score(vector);
    store.storeAnalysis(event.messageId(), vector, score, importance.score(event.content(), score));
    HistoryMessage message =
        new HistoryMessage(event.messageId(), event.username(), event.content(), vector, false);
    int replies = 0;
    if (message.isQuestion() && "message_created".equals(event.event())) {
      replies = desk.answerPending(REPLIES_PER_RECORD).replies().size();
      keeper.suggestFor(message, event.channelId());
    }
    boolean summarised = keeper.refreshSummary(event.channelId());
    return new Outcome(true, replies, summarised);
  }
}
