package dev.zgres.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of {@code docker-compose.yml}, in the shapes the checks need: short and long compose
 * syntax both read (command and healthcheck as lists, environment as a map, depends_on with
 * conditions, published ports as host and container port).
 */
record ComposeService(
    String name,
    String image,
    boolean builtHere,
    List<String> command,
    Map<String, String> environment,
    List<PublishedPort> ports,
    List<String> healthcheck,
    Map<String, String> dependsOn,
    String restart,
    List<String> secrets,
    List<String> volumes,
    List<String> profiles) {

  /** A {@code ports:} entry: {@code host} on the machine maps to {@code container}. */
  record PublishedPort(int host, int container) {}

  /** A service whose process is a zgres command: built from this repository's Dockerfile. */
  boolean zgres() {
    return builtHere;
  }

  /** The zgres command (the image's argument), e.g. {@code bridge}. */
  String zgresCommand() {
    return command.isEmpty() ? "" : command.get(0);
  }

  /** Started by a plain {@code docker compose up}, without {@code --profile}. */
  boolean inDefaultProfile() {
    return profiles.isEmpty();
  }

  /** Runs until stopped, as opposed to a one-shot job such as migrate. */
  boolean longRunning() {
    return !"no".equals(restart);
  }

  @SuppressWarnings("unchecked")
  static ComposeService from(String name, Map<String, Object> yaml) {
    Object build = yaml.get("build");
    return new ComposeService(
        name,
        String.valueOf(yaml.getOrDefault("image", "")),
        build != null,
        strings(yaml.get("command")),
        environment(yaml.get("environment")),
        ports(yaml.get("ports")),
        healthcheck(yaml.get("healthcheck")),
        dependsOn(yaml.get("depends_on")),
        yaml.get("restart") == null ? "no" : String.valueOf(yaml.get("restart")),
        secrets(yaml.get("secrets")),
        strings(yaml.get("volumes")),
        strings(yaml.get("profiles")));
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value).trim().split("\\s+"));
  }

  private static Map<String, String> environment(Object value) {
    Map<String, String> env = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (value instanceof List<?> list) {
      for (Object entry : list) {
        String[] kv = String.valueOf(entry).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  private static List<PublishedPort> ports(Object value) {
    List<PublishedPort> ports = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> longSyntax) {
          int container = Integer.parseInt(String.valueOf(longSyntax.get("target")));
          Object published = longSyntax.get("published");
          ports.add(
              new PublishedPort(
                  published == null ? container : Integer.parseInt(String.valueOf(published)),
                  container));
        } else {
          String[] parts = String.valueOf(entry).replaceAll("/(tcp|udp)$", "").split(":");
          int container = Integer.parseInt(parts[parts.length - 1]);
          int host = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : container;
          ports.add(new PublishedPort(host, container));
        }
      }
    }
    return List.copyOf(ports);
  }

  private static List<String> healthcheck(Object value) {
    if (value instanceof Map<?, ?> map && !Boolean.TRUE.equals(map.get("disable"))) {
      Object test = map.get("test");
      if (test instanceof List<?> list) {
        return list.stream().map(String::valueOf).toList();
      }
      if (test != null) {
        return List.of("CMD-SHELL", String.valueOf(test));
      }
    }
    return List.of();
  }

  private static Map<String, String> dependsOn(Object value) {
    Map<String, String> conditions = new LinkedHashMap<>();
    if (value instanceof List<?> list) {
      list.forEach(s -> conditions.put(String.valueOf(s), "service_started"));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) ->
              conditions.put(
                  String.valueOf(k),
                  v instanceof Map<?, ?> m && m.get("condition") != null
                      ? String.valueOf(m.get("condition"))
                      : "service_started"));
    }
    return conditions;
  }

  private static List<String> secrets(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream()
        .map(s -> s instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(s))
        .toList();
  }
}
