package dev.zgres.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} as Docker Compose reads it: YAML with anchors and merge keys resolved
 * (SnakeYAML's safe loader does both), its services, secrets and named volumes.
 */
record ComposeFile(
    Map<String, ComposeService> services,
    Map<String, Path> secretFiles,
    Set<String> volumes,
    Path directory) {

  @SuppressWarnings("unchecked")
  static ComposeFile load(Path file) throws IOException {
    Map<String, Object> root;
    try (Reader in = Files.newBufferedReader(file)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    Map<String, ComposeService> services = new LinkedHashMap<>();
    ((Map<String, Map<String, Object>>) root.get("services"))
        .forEach((name, body) -> services.put(name, ComposeService.from(name, body)));
    Map<String, Path> secrets = new LinkedHashMap<>();
    Map<String, Map<String, Object>> declared =
        (Map<String, Map<String, Object>>) root.getOrDefault("secrets", Map.of());
    Path directory = file.toAbsolutePath().getParent();
    declared.forEach(
        (name, body) ->
            secrets.put(
                name,
                body.get("file") == null
                    ? null
                    : directory.resolve(String.valueOf(body.get("file"))).normalize()));
    Map<String, Object> volumes = (Map<String, Object>) root.getOrDefault("volumes", Map.of());
    return new ComposeFile(services, secrets, volumes.keySet(), directory);
  }

  static ComposeFile load() throws IOException {
    return load(RepoFiles.compose());
  }

  ComposeService service(String name) {
    ComposeService service = services.get(name);
    if (service == null) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return service;
  }

  /** The services that run a zgres command, in file order. */
  List<ComposeService> zgresServices() {
    return services.values().stream().filter(ComposeService::zgres).toList();
  }
}
