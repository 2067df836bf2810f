package dev.zgres.consumers.gateway.http;

import dev.zgres.consumers.gateway.store.ChatStore;
import dev.zgres.consumers.search.SemanticSearch;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/search?q=<text>[&channel_id=<id>][&limit=<n>]}: semantic search as the token's
 * user, through the AI worker's {@link SemanticSearch}, which the chat SQL restricts to channels
 * that user may read (naming a channel they may not read is refused with 403).
 */
final class SearchRoute {
  static final int MAX_QUERY = 500;
  static final int MAX_LIMIT = 50;

  private final ChatStore store;
  private final Supplier<SemanticSearch> search;

  /**
   * @param search gives the search, loading its model on first use (a gateway that nobody searches
   *     never loads it)
   */
  SearchRoute(ChatStore store, Supplier<SemanticSearch> search) {
    this.store = store;
    this.search = search;
  }

  void handle(Exchange x, int user) throws Exchange.BadRequest, SQLException {
    String query = x.query("q");
    if (query == null || query.isBlank()) {
      throw new Exchange.BadRequest("q (the text to search for) is required");
    }
    if (query.length() > MAX_QUERY) {
      throw new Exchange.BadRequest(
          "q must be at most " + MAX_QUERY + " characters (was " + query.length() + ")");
    }
    Integer channel = x.query("channel_id") == null ? null : number(x.query("channel_id"));
    int limit = x.query("limit") == null ? 10 : number(x.query("limit"));
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new Exchange.BadRequest(
          "limit must be between 1 and " + MAX_LIMIT + " (was " + limit + ")");
    }
    SemanticSearch engine = search.get();
    List<SemanticSearch.Hit> hits =
        store.withConnection(c -> engine.search(c, user, query.strip(), channel, limit));
    List<Map<String, Object>> results = new ArrayList<>();
    for (SemanticSearch.Hit hit : hits) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("message_id", hit.messageId());
      row.put("channel_id", hit.channelId());
      row.put("user_id", hit.userId());
      row.put("username", hit.username());
      row.put("content", hit.content());
      row.put("similarity", hit.similarity());
      row.put("created_at", hit.createdAt() == null ? null : hit.createdAt().toString());
      results.add(row);
    }
    x.reply(200, Map.of("results", results));
  }

  private static int number(String text) throws Exchange.BadRequest {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Exchange.BadRequest("channel_id and limit must be integers (was " + text + ")");
    }
  }
}
