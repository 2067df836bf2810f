package dev.zgres.consumers.ai;

/** A user's request to the assistant: the message that asked, in which channel, by whom. */
public record Question(long messageId, String channelName, String username, String content) {
  public Question {
    username = username == null ? "someone" : username;
  }

  /** What was asked, without the {@code @ai} mention. */
  public String asked() {
    return HistoryMessage.withoutMention(content);
  }
}
