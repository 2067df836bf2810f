package dev.zgres.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.runtime.settings.Setting;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's configuration table and metrics list say what the code does. */
class DocumentationTest {

  private static String readme() throws IOException {
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
  }

  @Test
  void configurationTableListsEverySettingWithItsDefault() throws IOException {
    String readme = readme();
    for (Setting s : BridgeSettings.ALL) {
      String shownDefault = s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`";
      assertThat(readme)
          .as("README row for %s", s.env())
          .contains("| `" + s.env() + "` | " + shownDefault + " |");
    }
  }

  @Test
  void metricsListNamesEveryMeterByItsFullPrometheusName() throws Exception {
    String readme = readme();
    Set<String> scraped = scrapedNamesOfEveryBridgeMeter();
    assertThat(scraped).hasSizeGreaterThanOrEqualTo(declaredMeterNames().size());
    assertThat(scraped)
        .allSatisfy(
            name ->
                assertThat(
                        readme.contains("| `" + name + "` |")
                            || readme.contains("| `" + name + "{"))
                    .as("README metrics list has a row for %s", name)
                    .isTrue());
  }

  /** Registers every meter the bridge declares, scrapes, and returns the names Prometheus sees. */
  private static Set<String> scrapedNamesOfEveryBridgeMeter() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      BridgeMeters meters = new BridgeMeters(registry, "notify");
      meters.received("c", "notify");
      meters.published("t", 1_000);
      meters.failed("t");
      meters.abandoned("t");
      meters.deadLettered("t");
      meters.retried();
      meters.reconnected();
      meters.gap(Duration.ofMillis(5));
      meters.loopError("x");
      meters.walExcluded("x");
      meters.tookOver();
      meters.bindBacklog(new Object(), o -> 1, o -> 2, o -> 0, o -> 0);
      for (String name : declaredMeterNames()) {
        if (Search.in(registry).name(name).meters().isEmpty()) {
          meters.gauge(name, "gauge registered elsewhere", new Object(), o -> 0);
        }
      }
      Set<String> names = new TreeSet<>();
      for (String line : registry.scrape().split("\n")) {
        if (line.startsWith("zgres_")) {
          String name = line.split("[{ ]", 2)[0];
          names.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
        }
      }
      return names;
    } finally {
      registry.close();
    }
  }

  private static List<String> declaredMeterNames() throws IllegalAccessException {
    List<String> names = new ArrayList<>();
    for (Field f : BridgeMeters.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add((String) f.get(null));
      }
    }
    return names;
  }
}
