package dev.zgres.cli;

import dev.zgres.bridge.config.Setting;
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
    }
  }

  static Map<String, String> values(
      CommandSpec spec, List<Setting> settings, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (Setting s : settings) {
      String fromEnv = env.get(s.env());
      if (fromEnv != null) {
        values.put(s.env(), fromEnv);
      }
      OptionSpec option = spec.findOption(s.flag());
      String fromFlag = option == null ? null : option.getValue();
      if (fromFlag != null) {
        values.put(s.env(), fromFlag);
      }
    }
    return values;
  }
}
