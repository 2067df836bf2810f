package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The provisioned Grafana dashboard: wired to the provisioned datasource, every query selecting
 * zgres processes by their Prometheus job, and a panel for each thing an operator watches.
 */
class DashboardTest {
  private static Dashboard dashboard;
  private static PrometheusConfig prometheus;

  @BeforeAll
  static void load() throws IOException {
    dashboard = Dashboard.load();
    prometheus = PrometheusConfig.load();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyPanelQueriesTheProvisionedDatasource() throws IOException {
    Map<String, Object> provisioning;
    try (Reader in = Files.newBufferedReader(RepoFiles.grafanaDatasources())) {
      provisioning = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    Map<String, Object> datasource =
        ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);
    assertThat(datasource).containsEntry("type", "prometheus");
    assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
    String uid = String.valueOf(datasource.get("uid"));
    for (JsonNode panel : dashboard.panels()) {
      assertThat(panel.path("datasource").path("uid").asText())
          .as("datasource of panel %s", panel.path("title"))
          .isEqualTo(uid);
      assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void grafanaLoadsTheDashboardFromWhereTheComposeFileMountsIt() throws IOException {
    Map<String, Object> provisioning;
    try (Reader in =
        Files.newBufferedReader(
            RepoFiles.root().resolve("deploy/grafana/provisioning/dashboards/zgres.yml"))) {
      provisioning = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    Map<String, Object> provider =
        ((List<Map<String, Object>>) provisioning.get("providers")).get(0);
    String path = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
    ComposeService grafana = ComposeFile.load().service("grafana");
    assertThat(grafana.volumes())
        .contains("./deploy/grafana/dashboards:" + path + ":ro")
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
    assertThat(grafana.environment().get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
        .isEqualTo(path + "/" + RepoFiles.dashboard().getFileName());
    assertThat(ComposeFile.load().service("prometheus").ports())
        .contains(new ComposeService.PublishedPort(9090, 9090));
  }

  @Test
  void panelIdsAreUniqueAndEveryPanelHasAPlace() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.json().path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("id of %s", panel.path("title")).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
    }
    assertThat(dashboard.json().path("uid").asText()).isEqualTo("zgres");
  }

  @Test
  void everyQuerySelectsScrapedJobs() {
    for (Dashboard.Query query : dashboard.queries()) {
      assertThat(query.hasJobMatcher()).as("%s selects its jobs", query.describe()).isTrue();
      assertThat(query.jobsAmong(prometheus.targets().keySet()))
          .as("scraped jobs %s selects", query.describe())
          .isNotEmpty();
    }
  }

  @Test
  void hasAPanelForEachThingTheOperatorWatches() {
    List<String> titles = dashboard.panels().stream().map(p -> p.path("title").asText()).toList();
    assertThat(titles)
        .contains(
            "Events/s by topic",
            "Commit → Kafka latency",
            "Reconnects and gaps",
            "Backlog and back-pressure",
            "Slot lag (wal)",
            "DLQ records",
            "Consumer lag per worker",
            "AI handling time",
            "Moderation verdicts",
            "Gateway connections",
            "Deliveries/s",
            "Slow-consumer closes",
            "Resume outcomes");
  }
}
