package dev.zgres.runtime.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads declared settings from a map of values (environment plus flag overrides, keyed by
 * environment variable) and checks each against its {@link Rule}, collecting every problem instead
 * of stopping at the first, so a user fixes them all at once. Messages follow one form: {@code
 * ZGRES_X must be <rule> (was <value>)}; a secret's value is never shown.
 */
public final class SettingValues {
  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  public SettingValues(Map<String, String> values) {
    this.values = values;
  }

  /** The value, trimmed, checked against the setting's rule; the default when not given. */
  public String string(Setting setting) {
    String value = raw(setting);
    String violation = setting.rule().violation(value);
    if (violation != null) {
      problem(setting, violation, value);
    }
    return value;
  }

  /** A {@link Rule.WholeNumber} setting as an int; its minimum when the value is not a number. */
  public int integer(Setting setting) {
    return (int) whole(setting);
  }

  /** A {@link Rule.WholeNumber} setting of milliseconds. */
  public Duration millis(Setting setting) {
    return Duration.ofMillis(whole(setting));
  }

  /** A {@link Rule.OneOf} setting, lowercased; null when it is not one of the choices. */
  public String choice(Setting setting) {
    String value = string(setting).toLowerCase(Locale.ROOT);
    return setting.rule().violation(value) == null ? value : null;
  }

  /**
   * Parses with {@code parser}; an {@link IllegalArgumentException}'s message becomes a problem.
   */
  public <T> T parsed(Setting setting, Function<String, T> parser, T fallback) {
    String value = string(setting);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      problems.add(setting.env() + " " + e.getMessage());
      return fallback;
    }
  }

  /** Records a problem that involves more than one setting or a rule checked elsewhere. */
  public void problem(Setting setting, String rule, String value) {
    String shown = setting.secret() ? "hidden" : value.isEmpty() ? "empty" : value;
    problems.add(setting.env() + " " + rule + " (was " + shown + ")");
  }

  /** Throws a {@link ConfigException} listing every problem seen, if any. */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private long whole(Setting setting) {
    String value = string(setting);
    long min = setting.rule() instanceof Rule.WholeNumber n ? n.min() : 0;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return min;
    }
  }

  private String raw(Setting setting) {
    String value = values.get(setting.env());
    if (setting.secret()) {
      String file = values.get(setting.fileEnv());
      if (file != null && !file.isBlank()) {
        if (value != null) {
          problems.add(
              setting.env()
                  + " and "
                  + setting.fileEnv()
                  + " are both set: give the secret one way only");
        }
        return readSecret(setting, file.trim());
      }
    }
    return value == null ? setting.defaultValue() : value.trim();
  }

  private String readSecret(Setting setting, String file) {
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return content.strip();
    } catch (IOException | RuntimeException e) {
      problems.add(
          setting.fileEnv()
              + " must name a readable file (was "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + ")");
      return "";
    }
  }
}
