package dev.zgres.consumers.moderation;

import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.embed.TextEmbedder;
import java.sql.SQLException;

/**
 * The moderator's work for one chat event: a user's new or edited message is judged, and a warning
 * or unsafe verdict is flagged with {@code chat.flag_message} (which emits {@code
 * message_moderated} on the message's channel). Other events, and the assistant's and system's
 * messages, are ignored. Judging again on re-delivery adds nothing: the open case keeps each reason
 * once.
 */
public final class MessageModerator {
  private final TextEmbedder embedder;
  private final ContentModerator moderator;
  private final ModerationStore store;

  public MessageModerator(
      TextEmbedder embedder, ContentModerator moderator, ModerationStore store) {
    this.embedder = embedder;
    this.moderator = moderator;
    this.store = store;
  }

  /** The verdict on the event's message, or null when the event is not a user's text. */
  public Verdict handle(ChatEvent event) throws SQLException {
    if (!event.isUserText()) {
      return null;
    }
    Verdict verdict = moderator.judge(event.content(), embedder.embed(event.content()));
    if (verdict.flagged()) {
      store.flag(event.messageId(), verdict);
    }
    return verdict;
  }
}
