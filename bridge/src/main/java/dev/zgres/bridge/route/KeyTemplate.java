package dev.zgres.bridge.route;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A record key (or topic) built from literal text and placeholders:
 *
 * <ul>
 *   <li>{@code {channel}}: the channel name;
 *   <li>{@code {*}}: the part of the channel that the route pattern's {@code *} matched;
 *   <li>{@code {$.a.b}}: a scalar field of the JSON payload.
 * </ul>
 *
 * Example: {@code {$.schema}.{$.table}}.
 */
public final class KeyTemplate {
  private sealed interface Part permits Literal, ChannelName, Wildcard, JsonField {}

  private record Literal(String text) implements Part {}

  private record ChannelName() implements Part {}

  private record Wildcard() implements Part {}

  private record JsonField(String path, List<String> fields) implements Part {}

  private final String source;
  private final List<Part> parts;

  private KeyTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /** @throws IllegalArgumentException naming the malformed placeholder */
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
    if (name.equals("channel")) {
      return new ChannelName();
    }
    if (name.equals("*")) {
      return new Wildcard();
    }
    if (name.startsWith("$.") && name.length() > 2) {
      List<String> fields = List.of(name.substring(2).split("\\.", -1));
      if (fields.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("template has an empty JSON field in {" + name + "} (was " + template + ")");
      }
      return new JsonField(name.substring(2), fields);
    }
    throw new IllegalArgumentException(
        "template placeholders are {channel}, {*} and {$.field} (was {" + name + "} in " + template + ")");
  }

  public boolean needsPayload() {
    return parts.stream().anyMatch(p -> p instanceof JsonField);
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
      switch (part) {
        case Literal literal -> out.append(literal.text());
        case ChannelName ignored -> out.append(channel);
        case Wildcard ignored -> out.append(wildcard == null ? "" : wildcard);
        case JsonField field -> out.append(field(field, payload));
      }
    }
    return out.toString();
  }

  private static String field(JsonField field, JsonNode payload) {
    if (payload == null) {
      throw new KeyDerivationException("payload is not valid JSON, so {$." + field.path() + "} cannot be read");
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
