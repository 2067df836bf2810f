package dev.zgres.consumers.backfill;

import dev.zgres.events.Topics;
import dev.zgres.runtime.settings.ConfigException;
import java.util.List;

/** What a backfill re-emits: the rows of a watched table, or one chat channel's messages. */
public sealed interface BackfillSource {
  /**
   * A table under {@code zgres.notify_trigger} ({@code zgres.watch_table}): its rows as {@code
   * SNAPSHOT} events on the trigger's channels.
   *
   * @param name as PostgreSQL reads a {@code regclass}: {@code orders}, {@code public.orders}
   */
  record Table(String name) implements BackfillSource {}

  /** A chat channel's messages as {@code message_snapshot} events on {@code chat_message_<id>}. */
  record ChatChannel(int channelId) implements BackfillSource {}

  /**
   * The source the command line names.
   *
   * @throws ConfigException for a channel id without {@code chat.messages}, or the reverse
   */
  static BackfillSource of(String table, Integer channelId) {
    boolean messages = Topics.CHAT_MESSAGES.equals(table == null ? null : table.trim());
    if (channelId != null && !messages) {
      throw new ConfigException(
          List.of("--channel-id goes with the table chat.messages (was " + table + ")"));
    }
    if (messages && channelId == null) {
      throw new ConfigException(
          List.of(
              "chat.messages needs --channel-id N: a channel's history is re-emitted as"
                  + " message_snapshot events on chat_message_N"));
    }
    if (table == null || table.isBlank()) {
      throw new ConfigException(List.of("TABLE is required"));
    }
    return messages ? new ChatChannel(channelId) : new Table(table.trim());
  }
}
