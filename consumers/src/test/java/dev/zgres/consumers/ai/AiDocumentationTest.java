package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.runtime.settings.Setting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's configuration table and metrics list cover the AI worker and the moderator. */
class AiDocumentationTest {
  private static String readme() throws IOException {
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
  }

  @Test
  void configurationTableListsEveryAiSettingWithItsDefault() throws IOException {
    String readme = readme();
    for (Setting s : AiWorkerSettings.ALL) {
      String shownDefault = s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`";
      assertThat(readme)
          .as("README row for %s", s.env())
          .contains("| `" + s.env() + "` | " + shownDefault + " |");
    }
  }

  @Test
  void metricsListNamesEveryAiMeter() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AiMeters meters = new AiMeters(registry);
    meters.modelLoaded(Duration.ofMillis(700));
    meters.trained("sentiment", Duration.ofMillis(100));
    meters.analysed();
    meters.replied("offline", 1);
    meters.llmFellBack();
    meters.requestFailed(1);
    meters.summarised();
    meters.verdict("safe");
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (line.startsWith("zgres_")) {
        String name = line.split("[{ ]", 2)[0];
        names.add(name.replaceAll("_(count|sum|max|bucket)$", ""));
      }
    }
    String readme = readme();
    assertThat(names).hasSizeGreaterThanOrEqualTo(8);
    assertThat(names)
        .allSatisfy(
            name ->
                assertThat(
                        readme.contains("| `" + name + "` |")
                            || readme.contains("| `" + name + "{"))
                    .as("README metrics list has a row for %s", name)
                    .isTrue());
    registry.close();
  }
}
