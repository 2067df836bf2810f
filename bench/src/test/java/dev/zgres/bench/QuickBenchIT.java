package dev.zgres.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar zgres-bench.jar --quick} as a user would and checks that it completes and
 * writes both reports with every scenario and target row. It asserts nothing about speed: the
 * figures are the benchmark's to print, not a test's to judge.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QuickBenchIT {
  private static final List<String> SCENARIOS =
      List.of(
          "B0",
          "B1",
          "B1-prompt",
          "B1-clock",
          "B1-pgbench",
          "emit",
          "notify",
          "channels",
          "startup",
          "wal",
          "debezium",
          "debezium-tuned",
          "fan-out",
          "ai");

  @TempDir Path out;

  @Test
  void quickRunWritesJsonAndHtmlReportsWithEveryScenario() throws Exception {
    Path jar = Path.of(System.getProperty("zgres.bench.jar", "target/zgres-bench.jar"));
    assertThat(jar).as("the shaded benchmark jar (built by package)").exists();
    Path log = out.resolve("bench-output.txt");
    Process bench =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--quick",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = bench.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      bench.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished)
        .as("bench --quick finished within 10 minutes; output:%n%s", output)
        .isTrue();
    assertThat(bench.exitValue()).as("exit status; output:%n%s", output).isZero();

    Path json = out.resolve("zgres-bench-quick.json");
    Path html = out.resolve("zgres-bench-quick.html");
    assertThat(json).exists();
    assertThat(html).exists();

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    List<String> ids = new ArrayList<>();
    report.path("run").path("scenarios").forEach(s -> ids.add(s.path("id").asText()));
    assertThat(ids).containsExactlyElementsOf(SCENARIOS);
    for (JsonNode s : report.path("run").path("scenarios")) {
      boolean ran = s.path("unavailable").isNull();
      assertThat(ran || !s.path("failed").asBoolean())
          .as("scenario %s did not fail", s.path("id").asText())
          .isTrue();
      if (ran) {
        assertThat(s.path("phases").size())
            .as("phases of %s", s.path("id").asText())
            .isGreaterThan(0);
      }
    }
    List<String> targets = new ArrayList<>();
    report
        .path("targets")
        .forEach(t -> targets.add(t.path("target").asText() + " " + t.path("verdict").asText()));
    assertThat(targets)
        .anyMatch(t -> t.startsWith("notify throughput"))
        .anyMatch(t -> t.startsWith("notify commit->Kafka p99"))
        .anyMatch(t -> t.startsWith("notify p99 at saturation"))
        .anyMatch(t -> t.startsWith("wal writer rate >= 1.5 x notify"))
        .anyMatch(t -> t.startsWith("wal writer rate >= 0.8 x B0"))
        .anyMatch(t -> t.startsWith("fan-out") && t.endsWith("n/a"))
        .anyMatch(t -> t.startsWith("bridge RSS"))
        .anyMatch(t -> t.startsWith("notify rate with 10,000 channels"))
        .anyMatch(t -> t.startsWith("first event <="))
        .anyMatch(t -> t.startsWith("wal commit->Kafka p99 <= Debezium tuned"))
        .allMatch(t -> t.endsWith("PASS") || t.endsWith("MISS") || t.endsWith("n/a"));

    String page = Files.readString(html);
    assertThat(page)
        .contains("<svg", "</svg>", "</html>")
        .doesNotContain("<script", "<link", "src=\"http");
    for (String id : SCENARIOS) {
      assertThat(page).contains(">" + id + "<");
    }
    assertThat(output).contains("Targets", "fan-out");
  }
}
