package dev.zgres.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The scrape jobs of {@code deploy/prometheus/prometheus.yml}: job name to its static targets. */
record PrometheusConfig(Map<String, Object> yaml, Map<String, List<String>> targets) {

  @SuppressWarnings("unchecked")
  static PrometheusConfig load(Path file) throws IOException {
    Map<String, Object> yaml;
    try (Reader in = Files.newBufferedReader(file)) {
      yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    Map<String, List<String>> targets = new LinkedHashMap<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) yaml.get("scrape_configs")) {
      List<String> all =
          ((List<Map<String, Object>>) job.getOrDefault("static_configs", List.of()))
              .stream()
                  .flatMap(c -> ((List<String>) c.getOrDefault("targets", List.of())).stream())
                  .toList();
      targets.put(String.valueOf(job.get("job_name")), all);
    }
    return new PrometheusConfig(yaml, targets);
  }

  static PrometheusConfig load() throws IOException {
    return load(RepoFiles.prometheusConfig());
  }

  /** The same configuration with each job's targets replaced, as YAML. */
  String withTargets(Map<String, List<String>> replacement, String scrapeInterval) {
    StringBuilder out = new StringBuilder();
    out.append("global:\n  scrape_interval: ")
        .append(scrapeInterval)
        .append("\n  scrape_timeout: ")
        .append(scrapeInterval)
        .append("\nscrape_configs:\n");
    replacement.forEach(
        (job, list) -> {
          out.append("  - job_name: ").append(job).append("\n    static_configs:\n");
          out.append("      - targets: [");
          out.append(String.join(", ", list.stream().map(t -> "\"" + t + "\"").toList()));
          out.append("]\n");
        });
    return out.toString();
  }
}
