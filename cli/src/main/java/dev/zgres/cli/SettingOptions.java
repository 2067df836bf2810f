package dev.zgres.cli;

import dev.zgres.runtime.settings.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns {@link Setting} declarations into command-line options, and merges what was given on the
 * command line over the environment: flags override environment variables.
 */
final class SettingOptions {
  private SettingOptions() {}

  static void addTo(CommandSpec spec, List<Setting> settings) {
    for (Setting s : settings) {
      String shown = s.defaultValue().isEmpty() ? "empty" : s.defaultValue();
      spec.addOption(
          OptionSpec.builder(s.flag())
              .userObject(s)
              .paramLabel("<value>")
              .type(String.class)
              .description(
                  s.description().replace("`", "")
                      + " [env "
                      + s.env()
                      + ", default: "
                      + shown
                      + "]")
              .build());
      if (s.secret()) {
        spec.addOption(
            OptionSpec.builder(s.fileFlag())
                .userObject(s)
                .paramLabel("<file>")
                .type(String.class)
                .description("file holding the value of " + s.flag() + " [env " + s.fileEnv() + "]")
                .build());
      }
    }
  }

  /** The settings {@link #addTo} declared on {@code spec}, in declaration order. */
  static List<Setting> declaredOn(CommandSpec spec) {
    List<Setting> declared = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (option.userObject() instanceof Setting s && !declared.contains(s)) {
        declared.add(s);
      }
    }
    return List.copyOf(declared);
  }

  static Map<String, String> values(
      CommandSpec spec, List<Setting> settings, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (Setting s : settings) {
      put(values, s.env(), env.get(s.env()), spec.findOption(s.flag()));
      if (s.secret()) {
        put(values, s.fileEnv(), env.get(s.fileEnv()), spec.findOption(s.fileFlag()));
      }
    }
    return values;
  }

  /** A flag overrides the variable; a flag given for a secret hides its file variable, and back. */
  private static void put(
      Map<String, String> values, String name, String fromEnv, OptionSpec option) {
    String fromFlag = option == null ? null : option.getValue();
    if (fromFlag != null) {
      values.put(name, fromFlag);
    } else if (fromEnv != null) {
      values.put(name, fromEnv);
    }
  }
}
