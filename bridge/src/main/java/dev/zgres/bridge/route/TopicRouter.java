package dev.zgres.bridge.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.events.EventHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a channel and its payload to a topic and key. User routes are tried first, in order, then
 * the defaults of the design:
 *
 * <pre>
 *   chat_message_*    -> chat.messages          key {*}
 *   websocket_event   -> chat.websocket_events  key {$.channel_id|$.user_id}
 *   db_notifications  -> db_notifications       key {$.schema}.{$.table}
 *   *                 -> {channel}              key {channel}
 * </pre>
 *
 * A payload whose key cannot be derived goes to {@code <topic>.dlq}; a channel whose topic is not a
 * legal Kafka name goes to {@value #INVALID_TOPIC_DLQ}.
 */
public final class TopicRouter {
  public static final String INVALID_TOPIC_DLQ = "zgres.dlq";
  public static final List<String> DEFAULT_ROUTES =
      List.of(
          "chat_message_*=chat.messages|{*}",
          "websocket_event=chat.websocket_events|{$.channel_id|$.user_id}",
          "db_notifications=db_notifications|{$.schema}.{$.table}",
          "*={channel}|{channel}");

  private static final int MEMO_LIMIT = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final List<Route> routes;
  private final List<Pattern> patterns;
  private final Map<String, RouteMatch> matches = new ConcurrentHashMap<>();

  public TopicRouter(List<Route> userRoutes) {
    List<Route> all = new ArrayList<>(userRoutes);
    DEFAULT_ROUTES.forEach(spec -> all.add(Route.parse(spec)));
    this.routes = List.copyOf(all);
    this.patterns = routes.stream().map(Route::compiled).toList();
  }

  /** Parses {@code ZGRES_ROUTES}: entries {@code pattern=topic|key} separated by {@code ;}. */
  public static List<Route> parseRoutes(String spec) {
    List<Route> routes = new ArrayList<>();
    for (String entry : spec.split(";")) {
      if (!entry.isBlank()) {
        routes.add(Route.parse(entry.trim()));
      }
    }
    return routes;
  }

  public RouteDecision route(String channel, byte[] payload) {
    if (matches.size() > MEMO_LIMIT) {
      matches.clear();
    }
    RouteMatch match = matches.computeIfAbsent(channel, this::match);
    return decide(match.route(), channel, match.wildcard(), payload);
  }

  /** Which route a channel takes depends on its name alone: found once, then remembered. */
  private RouteMatch match(String channel) {
    for (int i = 0; i < routes.size(); i++) {
      Matcher matcher = patterns.get(i).matcher(channel);
      if (matcher.matches()) {
        return new RouteMatch(routes.get(i), Route.wildcardOf(matcher));
      }
    }
    throw new IllegalStateException("the catch-all route matches every channel");
  }

  private record RouteMatch(Route route, String wildcard) {}

  private static RouteDecision decide(
      Route route, String channel, String wildcard, byte[] payload) {
    JsonNode json =
        route.topic().needsPayload() || route.key().needsPayload() ? parse(payload) : null;
    String topic;
    try {
      topic = route.topic().render(channel, wildcard, json);
    } catch (KeyDerivationException e) {
      return new RouteDecision.DeadLetter(
          route.topic().toString(), INVALID_TOPIC_DLQ, "topic: " + e.getMessage());
    }
    if (!isLegalTopic(topic)) {
      return new RouteDecision.DeadLetter(
          topic,
          INVALID_TOPIC_DLQ,
          "topic \"" + topic + "\" for channel " + channel + " is not a legal Kafka topic name");
    }
    try {
      return new RouteDecision.Deliver(topic, route.key().render(channel, wildcard, json));
    } catch (KeyDerivationException e) {
      return new RouteDecision.DeadLetter(
          topic, topic + EventHeaders.DLQ_SUFFIX, "key: " + e.getMessage());
    }
  }

  private static JsonNode parse(byte[] payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      return null;
    }
  }

  static boolean isLegalTopic(String topic) {
    return LEGAL_TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
  }
}
