package dev.zgres.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard's PromQL queries, with the metric names and Prometheus jobs they name. */
record Dashboard(JsonNode json, List<Dashboard.Query> queries) {
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:zgres|jvm|process|kafka)_[A-Za-z0-9_]+)\\b");
  private static final Pattern JOB = Pattern.compile("\\bjob\\s*(=~?)\\s*\"([^\"]*)\"");

  /** One query: the panel it draws, and its expression as written (Grafana variables and all). */
  record Query(String panel, String refId, String expr) {
    /** The expression as Prometheus takes it: Grafana's {@code $__rate_interval} made concrete. */
    String promql() {
      return expr.replace("$__rate_interval", "1m");
    }

    /** The names of the metrics the query reads (as in the scrape: with _total, _bucket, …). */
    Set<String> metrics() {
      Set<String> names = new LinkedHashSet<>();
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    /**
     * Which of {@code jobs} its {@code job="…"} or {@code job=~"…"} matchers select (a regular
     * expression matches whole names, as in PromQL); empty when it has no job matcher.
     */
    Set<String> jobsAmong(Collection<String> jobs) {
      Set<String> selected = new LinkedHashSet<>();
      Matcher m = JOB.matcher(expr);
      while (m.find()) {
        for (String job : jobs) {
          if (m.group(1).equals("=~") ? job.matches(m.group(2)) : job.equals(m.group(2))) {
            selected.add(job);
          }
        }
      }
      return selected;
    }

    boolean hasJobMatcher() {
      return JOB.matcher(expr).find();
    }

    String describe() {
      return "panel \"" + panel + "\" query " + refId + ": " + expr;
    }
  }

  static Dashboard load(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    List<Query> queries = new ArrayList<>();
    collect(json.path("panels"), queries);
    return new Dashboard(json, List.copyOf(queries));
  }

  static Dashboard load() throws IOException {
    return load(RepoFiles.dashboard());
  }

  /** The panels (rows' nested panels included), rows themselves left out. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    addPanels(json.path("panels"), panels);
    return panels;
  }

  private static void addPanels(JsonNode list, List<JsonNode> into) {
    for (JsonNode panel : list) {
      if ("row".equals(panel.path("type").asText())) {
        addPanels(panel.path("panels"), into);
      } else {
        into.add(panel);
      }
    }
  }

  private static void collect(JsonNode panels, List<Query> into) {
    for (JsonNode panel : panels) {
      collect(panel.path("panels"), into);
      for (JsonNode target : panel.path("targets")) {
        into.add(
            new Query(
                panel.path("title").asText(),
                target.path("refId").asText(),
                target.path("expr").asText()));
      }
    }
  }
}
