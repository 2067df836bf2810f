package dev.zgres.consumers.replay;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One end of a replay window, as a user writes it: nothing (the start or the end of what Kafka
 * holds), an offset, or a time. A time is ISO-8601 ({@code 2026-12-01T17:00:00Z}, {@code
 * 2026-12-01T18:00:00+01:00}, or without a zone, in UTC: {@code 2026-12-01T17:00}, {@code
 * 2026-12-01}) or relative to now ({@code -15m}; units {@code ms}, {@code s}, {@code m}, {@code h},
 * {@code d}).
 */
public sealed interface ReplayBound {
  /** No bound: from the first record Kafka still holds, or up to the end offsets taken at start. */
  record Open() implements ReplayBound {}

  /** An offset, the same in every partition read (so mostly useful with one partition). */
  record AtOffset(long offset) implements ReplayBound {}

  /** A record timestamp, found with {@code offsetsForTimes}. */
  record AtTime(Instant time) implements ReplayBound {}

  Pattern RELATIVE = Pattern.compile("-(\\d{1,12})(ms|s|m|h|d)");

  /**
   * Parses {@code text}; null or blank is {@link Open}.
   *
   * @throws IllegalArgumentException with the rule, phrased to follow the option's name
   */
  static ReplayBound parse(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return new Open();
    }
    String value = text.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return new AtOffset(Long.parseLong(value));
      } catch (NumberFormatException e) {
        throw invalid(value);
      }
    }
    Matcher relative = RELATIVE.matcher(value);
    if (relative.matches()) {
      long amount = Long.parseLong(relative.group(1));
      Duration ago =
          switch (relative.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      return new AtTime(now.minus(ago));
    }
    try {
      return new AtTime(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeException e) {
      // not with a zone; try the forms without one
    }
    try {
      return new AtTime(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException e) {
      // not a local date-time
    }
    try {
      return new AtTime(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
    } catch (DateTimeException e) {
      throw invalid(value);
    }
  }

  private static IllegalArgumentException invalid(String value) {
    return new IllegalArgumentException(
        "must be an offset (a whole number), an ISO-8601 time (2026-12-01T17:00:00Z) or a time"
            + " relative to now (-15m; units ms, s, m, h, d) (was "
            + value
            + ")");
  }

  /** How the bound reads in a message. */
  default String describe() {
    return switch (this) {
      case Open o -> "open";
      case AtOffset o -> "offset " + o.offset();
      case AtTime t -> t.time().toString();
    };
  }
}
