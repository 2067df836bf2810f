package dev.zgres.bridge.channel;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Rules for PostgreSQL channel names, which LISTEN takes as identifiers. Names are quoted rather
 * than restricted, so any name PostgreSQL accepts works; what PostgreSQL would silently change
 * (truncation past 63 bytes) or cannot carry (NUL) is rejected.
 */
public final class ChannelName {
  public static final int MAX_BYTES = 63;

  private ChannelName() {}

  /** Returns null when {@code name} is a valid channel name, else why it is not. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return "must be at most "
          + MAX_BYTES
          + " bytes, as PostgreSQL truncates longer names (was "
          + bytes
          + " bytes: "
          + name
          + ")";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\0' || c == '\n' || c == '\r') {
        return "must not contain NUL or line breaks (was "
            + name.replace("\0", "\\0").replace("\n", "\\n").replace("\r", "\\r")
            + ")";
      }
    }
    return null;
  }

  /** Quotes a valid name as an SQL identifier: {@code a"b} becomes {@code "a""b"}. */
  public static String quote(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException("channel name " + problem);
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * The regular expression of a channel pattern: {@code *} matches any text (captured as group 1
   * for the first one), everything else matches literally.
   */
  public static Pattern pattern(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append("(.*)");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
