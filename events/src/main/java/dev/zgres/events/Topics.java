package dev.zgres.events;

/** The topics of the default routes, which the consumers read. */
public final class Topics {
  /** Chat events of every channel, keyed by channel id, in commit order per channel. */
  public static final String CHAT_MESSAGES = "chat.messages";

  /** Typing and presence: ephemeral, never replayed; keyed by channel id (or user id). */
  public static final String WEBSOCKET_EVENTS = "chat.websocket_events";

  /** Row changes from the generic trigger, keyed by {@code schema.table}. */
  public static final String DB_NOTIFICATIONS = "db_notifications";

  private Topics() {}

  /** The dead-letter topic of {@code topic}. */
  public static String deadLetterTopic(String topic) {
    return topic + EventHeaders.DLQ_SUFFIX;
  }
}
