package dev.zgres.bridge.channel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The channels a bridge LISTENs on, as configured: exact names, and {@code *} patterns that match
 * channels found by the discovery query. {@link #specFor} names the entry a channel came from,
 * which is what metrics label by (a pattern can stand for thousands of channels).
 */
public final class ChannelSelector {
  static final int MEMO_LIMIT = 100_000;

  private final Set<String> exact;
  private final List<String> patterns;
  private final List<Pattern> compiled;
  private final Map<String, Optional<String>> specs = new ConcurrentHashMap<>();

  private ChannelSelector(Set<String> exact, List<String> patterns) {
    this.exact = Set.copyOf(exact);
    this.patterns = List.copyOf(patterns);
    this.compiled = patterns.stream().map(ChannelName::pattern).toList();
  }

  /** Selects no channel at all. */
  public static ChannelSelector none() {
    return new ChannelSelector(Set.of(), List.of());
  }

  /** Whether it selects no channel at all. */
  public boolean isEmpty() {
    return exact.isEmpty() && patterns.isEmpty();
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

  /**
   * The configured entry (exact name or pattern) that selects {@code channel}, if any. Called for
   * every event, so the answer is remembered per channel (up to {@value #MEMO_LIMIT} channels, then
   * forgotten and learnt again).
   */
  public Optional<String> specFor(String channel) {
    if (specs.size() > MEMO_LIMIT) {
      specs.clear();
    }
    return specs.computeIfAbsent(channel, this::findSpec);
  }

  private Optional<String> findSpec(String channel) {
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
}
