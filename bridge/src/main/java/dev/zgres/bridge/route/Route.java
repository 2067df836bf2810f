package dev.zgres.bridge.route;

import dev.zgres.bridge.channel.ChannelName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the events of matching channels go: {@code pattern} is a channel name or a {@code *}
 * pattern; {@code topic} and {@code key} are templates (see {@link KeyTemplate}).
 */
public record Route(String pattern, KeyTemplate topic, KeyTemplate key) {

  /** Parses {@code pattern=topic|key}, e.g. {@code orders_*=orders|{$.customer_id}}. */
  public static Route parse(String spec) {
    int eq = spec.indexOf('=');
    int bar = spec.indexOf('|', eq + 1);
    if (eq <= 0 || bar < 0) {
      throw new IllegalArgumentException(
          "entries must look like pattern=topic|key (was " + spec + ")");
    }
    String pattern = spec.substring(0, eq).trim();
    try {
      return new Route(
          pattern,
          KeyTemplate.parse(spec.substring(eq + 1, bar).trim()),
          KeyTemplate.parse(spec.substring(bar + 1).trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route " + spec + ": " + e.getMessage(), e);
    }
  }

  Pattern compiled() {
    return ChannelName.pattern(pattern);
  }

  /** The text matched by the first {@code *}, or null when the channel does not match. */
  static String wildcardOf(Matcher matcher) {
    return matcher.groupCount() > 0 ? matcher.group(1) : "";
  }
}
