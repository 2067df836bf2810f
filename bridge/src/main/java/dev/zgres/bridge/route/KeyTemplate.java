package dev.zgres.bridge.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.bridge.channel.ChannelName;
import java.util.ArrayList;
import java.util.List;

/**
 * A record key (or topic) built from literal text and placeholders:
 *
 * <ul>
 *   <li>{@code {channel}}: the channel name;
 *   <li>{@code {*}}: the part of the channel that the route pattern's {@code *} matched;
 *   <li>{@code {$.a.b}}: a scalar field of the JSON payload;
 *   <li>{@code {x|y}}: the first of several placeholders that can be read, e.g. {@code
 *       {$.channel_id|$.user_id}}.
 * </ul>
 *
 * Example: {@code {$.schema}.{$.table}}.
 */
public final class KeyTemplate {
  private sealed interface Part permits Literal, ChannelName, Wildcard, JsonField, FirstOf {}

  private record Literal(String text) implements Part {}

  private record ChannelName() implements Part {}

  private record Wildcard() implements Part {}

  private record JsonField(String path, List<String> fields) implements Part {}

  private record FirstOf(List<Part> choices) implements Part {}

  private final String source;
  private final List<Part> parts;

  private KeyTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws IllegalArgumentException naming the malformed placeholder
   */
  public static KeyTemplate parse(String template) {
    if (template.isEmpty()) {
      throw new IllegalArgumentException("template must not be empty");
    }
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        parts.add(new Literal(template.substring(i)));
        break;
      }
      if (open > i) {
        parts.add(new Literal(template.substring(i, open)));
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("template has an unclosed { (was " + template + ")");
      }
      parts.add(placeholder(template.substring(open + 1, close), template));
      i = close + 1;
    }
    return new KeyTemplate(template, parts);
  }

  private static Part placeholder(String name, String template) {
    if (name.contains("|")) {
      List<Part> choices = new ArrayList<>();
      for (String choice : name.split("\\|", -1)) {
        choices.add(placeholder(choice.trim(), template));
      }
      return new FirstOf(choices);
    }
    if (name.equals("channel")) {
      return new ChannelName();
    }
    if (name.equals("*")) {
      return new Wildcard();
    }
    if (name.startsWith("$.") && name.length() > 2) {
      List<String> fields = List.of(name.substring(2).split("\\.", -1));
      if (fields.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException(
            "template has an empty JSON field in {" + name + "} (was " + template + ")");
      }
      return new JsonField(name.substring(2), fields);
    }
    throw new IllegalArgumentException(
        "template placeholders are {channel}, {*} and {$.field} (was {"
            + name
            + "} in "
            + template
            + ")");
  }

  public boolean needsPayload() {
    return parts.stream().anyMatch(KeyTemplate::readsPayload);
  }

  private static boolean readsPayload(Part part) {
    return part instanceof JsonField
        || (part instanceof FirstOf first
            && first.choices().stream().anyMatch(KeyTemplate::readsPayload));
  }

  public boolean usesWildcard() {
    return parts.stream().anyMatch(p -> p instanceof Wildcard);
  }

  /**
   * Fills the template in.
   *
   * @param payload the parsed payload, or null when it is not JSON (only needed if {@link
   *     #needsPayload()})
   * @throws KeyDerivationException when a JSON field is missing, null or not a scalar, or the
   *     payload is not JSON
   */
  public String render(String channel, String wildcard, JsonNode payload) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      out.append(render(part, channel, wildcard, payload));
    }
    return out.toString();
  }

  private static String render(Part part, String channel, String wildcard, JsonNode payload) {
    return switch (part) {
      case Literal literal -> literal.text();
      case ChannelName ignored -> channel;
      case Wildcard ignored -> wildcard == null ? "" : wildcard;
      case JsonField field -> field(field, payload);
      case FirstOf first -> {
        List<String> reasons = new ArrayList<>();
        for (Part choice : first.choices()) {
          try {
            yield render(choice, channel, wildcard, payload);
          } catch (KeyDerivationException e) {
            reasons.add(e.getMessage());
          }
        }
        throw new KeyDerivationException(String.join("; ", reasons));
      }
    };
  }

  private static String field(JsonField field, JsonNode payload) {
    if (payload == null) {
      throw new KeyDerivationException(
          "payload is not valid JSON, so {$." + field.path() + "} cannot be read");
    }
    JsonNode node = payload;
    for (String name : field.fields()) {
      if (!node.isObject() || !node.has(name)) {
        throw new KeyDerivationException("payload has no field " + field.path());
      }
      node = node.get(name);
    }
    if (node.isNull()) {
      throw new KeyDerivationException("payload field " + field.path() + " is null");
    }
    if (node.isContainerNode()) {
      throw new KeyDerivationException("payload field " + field.path() + " is not a scalar");
    }
    return node.asText();
  }

  @Override
  public String toString() {
    return source;
  }
}
