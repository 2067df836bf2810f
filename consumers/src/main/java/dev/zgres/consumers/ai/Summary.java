package dev.zgres.consumers.ai;

import java.util.List;

/** A conversation summary as stored by {@code chat.save_conversation_summary}. */
public record Summary(String text, List<String> keyPoints, float[] embedding) {
  public Summary {
    keyPoints = List.copyOf(keyPoints);
  }
}
