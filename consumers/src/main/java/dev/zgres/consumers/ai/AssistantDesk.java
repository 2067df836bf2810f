package dev.zgres.consumers.ai;

import dev.zgres.consumers.embed.TextEmbedder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the assistant's queue ({@code chat.ai_response_queue}): claims pending requests (most
 * urgent first, and those whose worker's lease expired), writes each reply from the channel's
 * history and completes it. Exactly one reply per request comes from the database, not from this
 * class: a claim is exclusive, completing checks the claim is still ours, and a unique index
 * refuses a second reply. A worker killed mid-way leaves a claimed request that another (or the
 * restarted) worker takes over when the lease expires.
 */
public final class AssistantDesk {
  private static final Logger LOG = LoggerFactory.getLogger(AssistantDesk.class);
  private static final int HISTORY = 200;
  private static final int BATCH = 10;

  private final AiStore store;
  private final TextEmbedder embedder;
  private final ReplyGenerator generator;
  private final String worker;
  private final Duration lease;
  private final int maxAttempts;
  private final AiMeters meters;

  public AssistantDesk(
      AiStore store,
      TextEmbedder embedder,
      ReplyGenerator generator,
      String worker,
      Duration lease,
      int maxAttempts,
      AiMeters meters) {
    this.store = store;
    this.embedder = embedder;
    this.generator = generator;
    this.worker = worker;
    this.lease = lease;
    this.maxAttempts = maxAttempts;
    this.meters = meters;
  }

  /** What one round answered: reply message ids, and requests given back after a failure. */
  public record Round(List<Long> replies, int failed) {}

  /** Claims and answers requests until none is left to claim. */
  public Round answerPending() throws SQLException {
    return answerPending(Integer.MAX_VALUE);
  }

  /**
   * Claims and answers at most {@code limit} requests (the consumer loop's thread answers a few, so
   * that a slow LLM never holds it past Kafka's poll interval; the sweeper answers the rest).
   */
  public Round answerPending(int limit) throws SQLException {
    List<Long> replies = new ArrayList<>();
    int failed = 0;
    int left = limit;
    while (left > 0) {
      List<AiStore.ClaimedRequest> claimed =
          store.claim(worker, Math.min(BATCH, left), lease, maxAttempts);
      if (claimed.isEmpty()) {
        break;
      }
      left -= claimed.size();
      for (AiStore.ClaimedRequest request : claimed) {
        try {
          replies.add(answer(request));
        } catch (ReplyGenerator.ReplyFailedException e) {
          failed++;
          meters.requestFailed(1);
          String status = store.fail(request.requestId(), e.getMessage(), worker, maxAttempts);
          LOG.warn(
              "AI request {} (message {}) could not be answered, now {}: {}",
              request.requestId(),
              request.messageId(),
              status,
              e.getMessage());
        }
      }
    }
    return new Round(replies, failed);
  }

  private long answer(AiStore.ClaimedRequest request) throws SQLException {
    List<HistoryMessage> history = new ArrayList<>();
    for (HistoryMessage m : store.history(request.channelId(), request.messageId(), HISTORY)) {
      // Messages not analysed yet (the analysis may still be on its way) are embedded here.
      history.add(
          m.embedding() != null || m.fromAssistant()
              ? m
              : new HistoryMessage(
                  m.id(), m.username(), m.content(), embedder.embed(m.content()), false));
    }
    Question question =
        new Question(
            request.messageId(), request.channelName(), request.username(), request.content());
    Reply reply = generator.reply(question, history);
    long id = store.complete(request.requestId(), reply, worker);
    meters.replied(reply.generator(), 1);
    LOG.info(
        "answered AI request {} (message {}) with message {} by {}",
        request.requestId(),
        request.messageId(),
        id,
        reply.generator());
    return id;
  }
}
