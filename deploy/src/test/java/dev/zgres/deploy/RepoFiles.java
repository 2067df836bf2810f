package dev.zgres.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's deployment files, found from the build's root (or the working directory). */
final class RepoFiles {
  private RepoFiles() {}

  static Path root() {
    String configured = System.getProperty("zgres.root");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("").toAbsolutePath().getParent();
    if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
      throw new IllegalStateException("no docker-compose.yml in " + root + " (set -Dzgres.root)");
    }
    return root;
  }

  static Path compose() {
    return root().resolve("docker-compose.yml");
  }

  static Path dockerfile() {
    return root().resolve("Dockerfile");
  }

  static Path prometheusConfig() {
    return root().resolve("deploy/prometheus/prometheus.yml");
  }

  static Path dashboard() {
    return root().resolve("deploy/grafana/dashboards/zgres.json");
  }

  static Path grafanaDatasources() {
    return root().resolve("deploy/grafana/provisioning/datasources/prometheus.yml");
  }

  static Path healthcheckScript() {
    return root().resolve("deploy/docker/zgres-healthcheck");
  }

  /** The image's jar as the build stage produces it. */
  static Path imageJar() {
    return root().resolve("cli/target/zgres.jar");
  }
}
