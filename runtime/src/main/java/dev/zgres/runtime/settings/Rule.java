package dev.zgres.runtime.settings;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a setting's value must be, declared with the setting. {@link #violation} gives the rule as a
 * user reads it ({@code must be between 1 and 10}), or null when the value keeps it.
 */
public sealed interface Rule {
  /** The broken rule, phrased to follow the setting's name; null when {@code value} is fine. */
  String violation(String value);

  /** Anything, the empty string included. */
  record Any() implements Rule {
    @Override
    public String violation(String value) {
      return null;
    }
  }

  /** Not empty after trimming. */
  record NonBlank() implements Rule {
    @Override
    public String violation(String value) {
      return value.isBlank() ? "must not be empty" : null;
    }
  }

  /** A whole number in {@code [min, max]}. */
  record WholeNumber(long min, long max) implements Rule {
    @Override
    public String violation(String value) {
      try {
        long n = Long.parseLong(value);
        if (n >= min && n <= max) {
          return null;
        }
      } catch (NumberFormatException e) {
        return "must be a whole number";
      }
      return max == Integer.MAX_VALUE || max == Long.MAX_VALUE
          ? "must be at least " + min
          : "must be between " + min + " and " + max;
    }
  }

  /** Not empty, and matches {@code pattern}; {@code rule} says what that means to a user. */
  record Matches(Pattern pattern, String rule) implements Rule {
    @Override
    public String violation(String value) {
      if (value.isBlank()) {
        return "must not be empty";
      }
      return pattern.matcher(value).matches() ? null : rule;
    }
  }

  /** One of {@code values}, ignoring case. */
  record OneOf(List<String> values) implements Rule {
    @Override
    public String violation(String value) {
      return values.contains(value.toLowerCase(Locale.ROOT))
          ? null
          : "must be one of " + String.join(", ", values);
    }
  }
}
