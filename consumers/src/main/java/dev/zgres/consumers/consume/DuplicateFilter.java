package dev.zgres.consumers.consume;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the {@code zgres-event-id}s of the last {@code window} records handled, so that a
 * record delivered again (a wal-mode replay after a bridge restart, a re-read after a consumer
 * crash) is dropped instead of handled twice. Memory is bounded: an id older than the window is
 * forgotten, so a duplicate arriving more than {@code window} records later is handled again, which
 * is why handlers must still be idempotent. Used by the loop's one thread.
 */
public final class DuplicateFilter {
  private final Map<String, Boolean> seen;

  public DuplicateFilter(int window) {
    if (window < 0) {
      throw new IllegalArgumentException("window must be at least 0 (was " + window + ")");
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > window;
          }
        };
  }

  /** Whether {@code eventId} was already handled within the window; null ids never are. */
  public boolean seen(String eventId) {
    return eventId != null && seen.containsKey(eventId);
  }

  /** Records {@code eventId} as handled. */
  public void handled(String eventId) {
    if (eventId != null) {
      seen.put(eventId, Boolean.TRUE);
    }
  }

  public int size() {
    return seen.size();
  }
}
