package dev.zgres.bridge.listen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The channels a bridge LISTENs on, as configured: exact names, and {@code *} patterns that match
 * channels found by the discovery query. {@link #specFor} names the entry a channel came from,
 * which is what metrics label by (a pattern can stand for thousands of channels).
 */
public final class ChannelSelector {
  private final Set<String> exact;
  private final List<String> patterns;
  private final List<Pattern> compiled;

  private ChannelSelector(Set<String> exact, List<String> patterns) {
    this.exact = Set.copyOf(exact);
    this.patterns = List.copyOf(patterns);
    this.compiled = patterns.stream().map(ChannelSelector::globToRegex).toList();
  }

  /**
   * Parses a comma-separated list such as {@code db_notifications,chat_message_*}.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static ChannelSelector parse(String list) {
    Set<String> exact = new LinkedHashSet<>();
    List<String> patterns = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String entry = raw.trim();
      String problem = ChannelName.problem(entry);
      if (problem != null) {
        throw new IllegalArgumentException(
            "entries must be channel names or * patterns; an entry "
                + problem
                + " (was "
                + list
                + ")");
      }
      if (entry.contains("*")) {
        if (!patterns.contains(entry)) {
          patterns.add(entry);
        }
      } else {
        exact.add(entry);
      }
    }
    return new ChannelSelector(exact, patterns);
  }

  public Set<String> exact() {
    return exact;
  }

  public List<String> patterns() {
    return patterns;
  }

  public boolean hasPatterns() {
    return !patterns.isEmpty();
  }

  /** Whether a discovered channel matches one of the patterns. */
  public boolean matchesPattern(String channel) {
    return compiled.stream().anyMatch(p -> p.matcher(channel).matches());
  }

  /** The configured entry (exact name or pattern) that selects {@code channel}, if any. */
  public Optional<String> specFor(String channel) {
    if (exact.contains(channel)) {
      return Optional.of(channel);
    }
    for (int i = 0; i < compiled.size(); i++) {
      if (compiled.get(i).matcher(channel).matches()) {
        return Optional.of(patterns.get(i));
      }
    }
    return Optional.empty();
  }

  static Pattern globToRegex(String glob) {
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
