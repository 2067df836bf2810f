package dev.zgres.consumers.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.consumers.gateway.store.ChatStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The authenticated API calls with a body or a channel in the path. */
final class ApiRoutes {
  private final ChatStore store;

  ApiRoutes(ChatStore store) {
    this.store = store;
  }

  void createChannel(Exchange x, int user) throws Exchange.BadRequest, SQLException {
    JsonNode body = x.body();
    Integer[] members = ints(body, "member_ids", true);
    int id = store.createChannel(user, text(body, "name"), text(body, "channel_type"), members);
    x.reply(201, Map.of("channel_id", id));
  }

  void setFriends(Exchange x, int user) throws Exchange.BadRequest, SQLException {
    store.setFriends(user, ints(x.body(), "friend_ids", false));
    x.noContent();
  }

  void setFriendsOnly(Exchange x, int user) throws Exchange.BadRequest, SQLException {
    JsonNode flag = x.body().get("friends_only");
    if (flag == null || !flag.isBoolean()) {
      throw new Exchange.BadRequest("friends_only must be true or false");
    }
    store.setFriendsOnly(user, flag.booleanValue());
    x.noContent();
  }

  void sendDirect(Exchange x, int user) throws Exchange.BadRequest, SQLException {
    JsonNode body = x.body();
    JsonNode receiver = body.get("receiver_id");
    if (receiver == null || !receiver.canConvertToInt()) {
      throw new Exchange.BadRequest("receiver_id must be an integer");
    }
    long[] sent = store.sendDirect(user, receiver.intValue(), text(body, "body"));
    x.reply(201, Map.of("message_id", sent[0], "channel_id", sent[1]));
  }

  void channel(Exchange x, int user, int channelId, String action, String method)
      throws Exchange.BadRequest, SQLException {
    switch (method + " " + action) {
      case "POST join" -> {
        store.joinChannel(user, channelId);
        x.noContent();
      }
      case "POST leave" -> {
        store.leaveChannel(user, channelId);
        x.noContent();
      }
      case "GET messages" -> {
        String before = x.query("before");
        Long beforeId = before == null ? null : number(before, "before");
        int limit = limit(x.query("limit"), 50);
        x.reply(200, Map.of("messages", store.history(user, channelId, beforeId, limit)));
      }
      case "GET suggestions" ->
          x.reply(
              200,
              Map.of(
                  "suggestions", store.suggestions(user, channelId, limit(x.query("limit"), 5))));
      default -> x.error(405, method + " is not allowed on " + action);
    }
  }

  static String text(JsonNode body, String field) throws Exchange.BadRequest {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw new Exchange.BadRequest(field + " must be a string");
    }
    return value.textValue();
  }

  private static Integer[] ints(JsonNode body, String field, boolean optional)
      throws Exchange.BadRequest {
    JsonNode value = body.get(field);
    if (value == null && optional) {
      return new Integer[0];
    }
    if (value == null || !value.isArray()) {
      throw new Exchange.BadRequest(field + " must be an array of integers");
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : value) {
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw new Exchange.BadRequest(field + " must be an array of integers");
      }
      out.add(n.intValue());
    }
    return out.toArray(Integer[]::new);
  }

  private static long number(String text, String field) throws Exchange.BadRequest {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new Exchange.BadRequest(field + " must be an integer");
    }
  }

  private static int limit(String text, int fallback) throws Exchange.BadRequest {
    return text == null ? fallback : (int) Math.min(Integer.MAX_VALUE, number(text, "limit"));
  }

  /** A path as safe to echo: printable ASCII only, at most 100 characters. */
  static String shown(String path) {
    String clean = path.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
  }
}
