package dev.zgres.runtime.settings;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One configuration setting, declared once: the environment variable that sets it, the command-line
 * flag that overrides it, its default, what it means and the rule its value keeps. The launcher's
 * options, the validation messages and the README's configuration table all come from these
 * declarations.
 *
 * <p>A secret setting (a password, a signing key) may instead be read from a file named by {@code
 * <env>_FILE} (flag {@code <flag>-file}), as Docker and Kubernetes secrets are mounted; its value
 * is never printed.
 *
 * @param env environment variable, e.g. {@code ZGRES_PG_URL}
 * @param flag command-line flag, e.g. {@code --pg-url}
 * @param defaultValue value when neither is given; empty means "empty"
 * @param description one line for the configuration table and {@code --help}
 * @param rule what the value must be
 * @param secret whether the value is a secret: read from {@code <env>_FILE} too, never shown
 */
public record Setting(
    String env, String flag, String defaultValue, String description, Rule rule, boolean secret) {

  /** Any text, the empty string included. */
  public static Setting text(String env, String flag, String defaultValue, String description) {
    return new Setting(env, flag, defaultValue, description, new Rule.Any(), false);
  }

  /** Text that must not be empty. */
  public static Setting required(String env, String flag, String defaultValue, String description) {
    return new Setting(env, flag, defaultValue, description, new Rule.NonBlank(), false);
  }

  /** A whole number in {@code [min, max]}. */
  public static Setting number(
      String env, String flag, String defaultValue, String description, long min, long max) {
    return new Setting(env, flag, defaultValue, description, new Rule.WholeNumber(min, max), false);
  }

  /** One of {@code values} (lowercase), ignoring case. */
  public static Setting choice(
      String env, String flag, String defaultValue, String description, List<String> values) {
    return new Setting(env, flag, defaultValue, description, new Rule.OneOf(values), false);
  }

  /**
   * Text, not empty, matching {@code regex}; {@code rule} is what a user reads when it does not,
   * e.g. {@code must start with jdbc:postgresql:}.
   */
  public static Setting matching(
      String env, String flag, String defaultValue, String description, String regex, String rule) {
    return new Setting(
        env,
        flag,
        defaultValue,
        description,
        new Rule.Matches(Pattern.compile(regex, Pattern.DOTALL), rule),
        false);
  }

  /** A secret: also read from {@code <env>_FILE}, never printed. */
  public static Setting secret(String env, String flag, String description, Rule rule) {
    return new Setting(env, flag, "", description, rule, true);
  }

  /** The variable naming a file that holds a secret setting's value. */
  public String fileEnv() {
    return env + "_FILE";
  }

  /** The flag naming a file that holds a secret setting's value. */
  public String fileFlag() {
    return flag + "-file";
  }
}
