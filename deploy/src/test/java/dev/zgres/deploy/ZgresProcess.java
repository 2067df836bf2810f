package dev.zgres.deploy;

import dev.zgres.cli.ZgresMain;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * What a compose service runs, described the way the checks need it: the zgres command, the
 * settings that command declares (read from the launcher itself, so a process added to {@code
 * bin/zgres} is described with no change here), its environment in the compose file, and the ports
 * it will listen on.
 */
record ZgresProcess(ComposeService service, Optional<List<Setting>> declared) {

  /**
   * Variables a zgres process reads that are not settings: the log level (logback.xml) and the JVM
   * launcher's own options.
   */
  static final Set<String> NOT_SETTINGS = Set.of("ZGRES_LOG_LEVEL", "JDK_JAVA_OPTIONS");

  static ZgresProcess of(ComposeService service) {
    return new ZgresProcess(service, ZgresMain.settingsOf(service.zgresCommand()));
  }

  String command() {
    return service.zgresCommand();
  }

  boolean existsInThisBuild() {
    return declared.isPresent();
  }

  /** Skips the calling test, naming the command, when this build does not have it yet. */
  void assumeExists() {
    Assumptions.assumeTrue(
        existsInThisBuild(),
        () ->
            "bin/zgres "
                + command()
                + " does not exist in this build yet: compose service "
                + service.name()
                + " is not checked");
  }

  List<Setting> settings() {
    return declared.orElseThrow();
  }

  /** Every environment variable the process reads: its settings, and {@code _FILE} for secrets. */
  Set<String> readableVariables() {
    Set<String> names = new LinkedHashSet<>(NOT_SETTINGS);
    for (Setting s : settings()) {
      names.add(s.env());
      if (s.secret()) {
        names.add(s.fileEnv());
      }
    }
    return names;
  }

  /** The value a setting takes in this service: its variable, else its default. */
  String value(Setting setting) {
    return service.environment().getOrDefault(setting.env(), setting.defaultValue());
  }

  int metricsPort() {
    return Integer.parseInt(value(CommonSettings.METRICS_PORT));
  }

  /** The ports the process listens on: every {@code *_PORT} setting it declares. */
  Map<String, Integer> listeningPorts() {
    return settings().stream()
        .filter(s -> s.env().endsWith("_PORT"))
        .collect(Collectors.toMap(Setting::env, s -> Integer.parseInt(value(s))));
  }
}
