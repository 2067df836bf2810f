package dev.zgres.bridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads declared settings from a map of values (environment plus flag overrides) and collects every
 * validation problem instead of stopping at the first, so a user fixes them all at once. Messages
 * follow one form: {@code ZGRES_X must be <rule> (was <value>)}.
 */
public final class SettingValues {
  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  public SettingValues(Map<String, String> values) {
    this.values = values;
  }

  public String string(Setting setting) {
    String value = values.get(setting.env());
    return value == null ? setting.defaultValue() : value.trim();
  }

  public String nonBlank(Setting setting) {
    String value = string(setting);
    if (value.isEmpty()) {
      problem(setting, "must not be empty", value);
    }
    return value;
  }

  public int integer(Setting setting, int min, int max) {
    String raw = string(setting);
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        String rule =
            max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
        problem(setting, "must be " + rule, raw);
      }
      return value;
    } catch (NumberFormatException e) {
      problem(setting, "must be a whole number", raw);
      return min;
    }
  }

  public <T extends Enum<T>> T oneOf(Setting setting, Class<T> type, Function<String, T> parse) {
    String raw = string(setting);
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (T constant : type.getEnumConstants()) {
        names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
      }
      problem(setting, "must be one of " + String.join(", ", names), raw);
      return null;
    }
  }

  /** Parses with {@code parser}; an {@link IllegalArgumentException} becomes a problem. */
  public <T> T parsed(Setting setting, Function<String, T> parser, T fallback) {
    String raw = string(setting);
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      problems.add(setting.env() + " " + e.getMessage());
      return fallback;
    }
  }

  public void problem(Setting setting, String rule, String value) {
    problems.add(setting.env() + " " + rule + " (was " + (value.isEmpty() ? "empty" : value) + ")");
  }

  /** Throws a {@link ConfigException} listing every problem seen, if any. */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
