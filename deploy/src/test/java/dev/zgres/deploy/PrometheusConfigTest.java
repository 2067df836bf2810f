package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/prometheus/prometheus.yml} checked by the real {@code promtool} and against the
 * compose file: one job per zgres process, named as its service, scraping its metrics port.
 */
class PrometheusConfigTest {
  private static ComposeFile compose;
  private static PrometheusConfig prometheus;

  @BeforeAll
  static void load() throws IOException {
    compose = ComposeFile.load();
    prometheus = PrometheusConfig.load();
  }

  @Test
  void promtoolAcceptsTheConfiguration() throws Exception {
    Path promtool = Tools.require("promtool", "prometheus");
    Tools.Run check =
        Tools.run(
            List.of(
                promtool.toString(), "check", "config", RepoFiles.prometheusConfig().toString()),
            RepoFiles.root());
    System.out.println(check.output());
    assertThat(check.exitStatus()).as(check.output()).isZero();
  }

  @Test
  void everyLongRunningZgresServiceIsAJobScrapingItsMetricsPort() {
    for (ComposeService service : compose.zgresServices()) {
      if (!service.longRunning()) {
        continue;
      }
      String port = service.environment().getOrDefault("ZGRES_METRICS_PORT", "9464");
      assertThat(prometheus.targets())
          .as("scrape job for service %s", service.name())
          .containsEntry(service.name(), List.of(service.name() + ":" + port));
    }
  }

  @Test
  void everyTargetIsAComposeServiceOrPrometheusItself() {
    prometheus
        .targets()
        .forEach(
            (job, targets) -> {
              for (String target : targets) {
                String host = target.split(":")[0];
                assertThat(host.equals("localhost") || compose.services().containsKey(host))
                    .as("target %s of job %s", target, job)
                    .isTrue();
              }
            });
    assertThat(compose.service("prometheus").volumes())
        .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
  }

  @Test
  void everyDashboardQueryIsValidPromql(@TempDir Path dir) throws Exception {
    Path promtool = Tools.require("promtool", "prometheus");
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (Dashboard.Query query : Dashboard.load().queries()) {
      rules
          .append("      - record: dashboard:query_")
          .append(++n)
          .append("\n        expr: '")
          .append(query.promql().replace("'", "''"))
          .append("'\n");
    }
    Path file = dir.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);
    Tools.Run check =
        Tools.run(List.of(promtool.toString(), "check", "rules", file.toString()), dir);
    System.out.println(check.output());
    assertThat(check.exitStatus()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + n + " rules found");
  }
}
