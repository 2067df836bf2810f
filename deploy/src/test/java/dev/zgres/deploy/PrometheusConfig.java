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

  /**
   * The same configuration, with each job's targets replaced (a job missing from {@code
   * replacement} is left out) and the intervals shortened so a test sees rates within seconds.
   */
  @SuppressWarnings("unchecked")
  String withTargets(Map<String, List<String>> replacement, String interval) {
    Map<String, Object> copy = new Yaml(new SafeConstructor(new LoaderOptions())).load(dump(yaml));
    Map<String, Object> global = (Map<String, Object>) copy.get("global");
    global.put("scrape_interval", interval);
    global.put("scrape_timeout", interval);
    global.put("evaluation_interval", interval);
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) copy.get("scrape_configs");
    jobs.removeIf(job -> !replacement.containsKey(String.valueOf(job.get("job_name"))));
    for (Map<String, Object> job : jobs) {
      job.put(
          "static_configs",
          List.of(Map.of("targets", replacement.get(String.valueOf(job.get("job_name"))))));
    }
    return dump(copy);
  }

  private static String dump(Map<String, Object> yaml) {
    return new Yaml().dump(yaml);
  }
}
