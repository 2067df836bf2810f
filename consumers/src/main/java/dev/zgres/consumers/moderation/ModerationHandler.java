package dev.zgres.consumers.moderation;

import dev.zgres.consumers.ai.AiMeters;
import dev.zgres.consumers.chat.ChatConnection;
import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.consume.Outcome;
import dev.zgres.consumers.consume.RecordHandler;
import dev.zgres.consumers.embed.TextEmbedder;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The moderator's record handler: a value that is not a chat event is dead-lettered, a user's text
 * is judged and flagged when not safe, everything else is done at once. A message deleted for good
 * meanwhile is done; a lost connection is dropped and rethrown for the loop to retry.
 */
public final class ModerationHandler implements RecordHandler {
  private static final String NO_DATA_FOUND = "P0002";
  private final ChatConnection connection;
  private final TextEmbedder embedder;
  private final ContentModerator moderator;
  private final AiMeters meters;
  private MessageModerator current;
  private long generation = -1;

  public ModerationHandler(
      ChatConnection connection,
      TextEmbedder embedder,
      ContentModerator moderator,
      AiMeters meters) {
    this.connection = connection;
    this.embedder = embedder;
    this.moderator = moderator;
    this.meters = meters;
  }

  @Override
  public Outcome handle(ConsumerRecord<byte[], byte[]> record) throws SQLException {
    ChatEvent event;
    try {
      event = ChatEvent.parse(record.value());
    } catch (ChatEvent.MalformedEventException e) {
      return Outcome.deadLetter(e.getMessage());
    }
    if (!event.isUserText()) {
      return Outcome.DONE;
    }
    try {
      if (generation != connection.generation() || current == null) {
        current = new MessageModerator(embedder, moderator, new ModerationStore(connection.get()));
        generation = connection.generation();
      }
      Verdict verdict = current.handle(event);
      meters.verdict(verdict.level().sqlName());
      return Outcome.DONE;
    } catch (SQLException e) {
      if (NO_DATA_FOUND.equals(e.getSQLState())) {
        return Outcome.DONE;
      }
      throw connection.forget(e);
    }
  }
}
