package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.runtime.settings.Setting;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code docker-compose.yml} read as Docker Compose reads it, checked against the processes it
 * runs: their declared settings, ports and health endpoint, and the order services start in. A
 * service whose command this build does not have yet is skipped, and the skip names the command.
 */
class ComposeFileTest {
  private static ComposeFile compose;

  @BeforeAll
  static void load() throws IOException {
    compose = ComposeFile.load();
  }

  @Test
  void runsEveryProcessOfThePipeline() {
    assertThat(compose.zgresServices())
        .extracting(ComposeService::zgresCommand)
        .contains("migrate", "bridge", "ai-worker", "moderator", "gateway");
    assertThat(compose.services()).containsKeys("postgres", "kafka", "prometheus", "grafana");
  }

  @Test
  void theBridgeRunsWithTheLaunchersJvmSizing() throws IOException {
    Matcher defaults =
        Pattern.compile("(?m)^bridge_jvm_defaults=\"([^\"]*)\"$")
            .matcher(Files.readString(RepoFiles.root().resolve("bin/zgres")));
    assertThat(defaults.find()).as("bin/zgres defines bridge_jvm_defaults").isTrue();
    ComposeService bridge =
        compose.zgresServices().stream()
            .filter(s -> s.zgresCommand().equals("bridge"))
            .findFirst()
            .orElseThrow();
    assertThat(bridge.environment()).containsEntry("JDK_JAVA_OPTIONS", defaults.group(1));
  }

  @TestFactory
  Stream<DynamicTest> everyZgresServiceSetsOnlyVariablesItsProcessDeclares() {
    return perZgresService(
        process -> {
          Set<String> readable = process.readableVariables();
          assertThat(process.service().environment().keySet())
              .as(
                  "variables of service %s that bin/zgres %s does not read",
                  process.service().name(), process.command())
              .allSatisfy(name -> assertThat(readable).contains(name));
        });
  }

  @TestFactory
  Stream<DynamicTest> secretsComeFromComposeSecretsThroughFileVariables() {
    return perZgresService(
        process -> {
          ComposeService service = process.service();
          for (Setting s : process.settings()) {
            if (!s.secret()) {
              continue;
            }
            assertThat(service.environment())
                .as(
                    "%s of service %s: a secret is never written in the file",
                    s.env(), service.name())
                .doesNotContainKey(s.env());
            String file = service.environment().get(s.fileEnv());
            if (file == null) {
              continue;
            }
            assertThat(file).as(s.fileEnv()).startsWith("/run/secrets/");
            String secret = file.substring("/run/secrets/".length());
            assertThat(service.secrets())
                .as("secrets of service %s", service.name())
                .contains(secret);
            Path source = compose.secretFiles().get(secret);
            assertThat(source).as("top-level secret %s has a file", secret).isNotNull();
            assertThat(source).as("file of secret %s", secret).isRegularFile();
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> everyLongRunningZgresServiceChecksHealthOnItsMetricsPort() {
    return perZgresService(
        process -> {
          ComposeService service = process.service();
          if (!service.longRunning()) {
            assertThat(service.healthcheck()).as("one-shot %s", service.name()).isEmpty();
            return;
          }
          List<String> test = service.healthcheck();
          assertThat(test)
              .as("healthcheck of %s (the image's /health probe)", service.name())
              .hasSizeBetween(2, 3)
              .startsWith("CMD", "zgres-healthcheck");
          int probed =
              test.size() == 3
                  ? Integer.parseInt(test.get(2))
                  : Integer.parseInt(
                      service.environment().getOrDefault("ZGRES_METRICS_PORT", "9464"));
          assertThat(probed)
              .as("port the healthcheck of %s probes", service.name())
              .isEqualTo(process.metricsPort());
        });
  }

  @TestFactory
  Stream<DynamicTest> publishedPortsAreOnesTheProcessListensOn() {
    return perZgresService(
        process -> {
          Map<String, Integer> listening = process.listeningPorts();
          for (ComposeService.PublishedPort port : process.service().ports()) {
            assertThat(listening.values())
                .as(
                    "container port %d of %s must be one its settings bind: %s",
                    port.container(), process.service().name(), listening)
                .contains(port.container());
          }
        });
  }

  @Test
  void gatewayPublishesItsPortAndReadsItsSecretFromAFile() {
    ComposeService gateway = compose.service("gateway");
    String port = gateway.environment().getOrDefault("ZGRES_GATEWAY_PORT", "8080");
    assertThat(gateway.ports())
        .extracting(ComposeService.PublishedPort::container)
        .contains(Integer.parseInt(port));
    assertThat(gateway.environment())
        .containsKey("ZGRES_GATEWAY_SECRET_FILE")
        .doesNotContainKey("ZGRES_GATEWAY_SECRET");
  }

  @Test
  void databaseAndKafkaAreHealthyAndTheDatabaseMigratedBeforeAnyProcessStarts() {
    for (ComposeService service : compose.zgresServices()) {
      Map<String, String> after = service.dependsOn();
      String url = service.environment().get("ZGRES_PG_URL");
      assertThat(url).as("ZGRES_PG_URL of %s", service.name()).isNotNull();
      assertThat(after)
          .as("%s waits for its database to be healthy", service.name())
          .containsEntry(host(url), "service_healthy");
      if (!service.longRunning()) {
        assertThat(service.zgresCommand()).as("one-shot %s", service.name()).isEqualTo("migrate");
        continue;
      }
      for (String server :
          service.environment().getOrDefault("ZGRES_KAFKA_BOOTSTRAP", "").split(",")) {
        assertThat(after)
            .as("%s waits for Kafka to be healthy", service.name())
            .containsEntry(server.split(":")[0], "service_healthy");
      }
      assertThat(after.entrySet())
          .as("%s starts after migrate has finished on its database %s", service.name(), url)
          .anyMatch(
              e ->
                  e.getValue().equals("service_completed_successfully")
                      && compose.service(e.getKey()).zgresCommand().equals("migrate")
                      && url.equals(compose.service(e.getKey()).environment().get("ZGRES_PG_URL")));
    }
  }

  @Test
  void dependenciesNameServicesThatCanMeetTheirCondition() {
    for (ComposeService service : compose.services().values()) {
      service
          .dependsOn()
          .forEach(
              (name, condition) -> {
                ComposeService target = compose.service(name);
                switch (condition) {
                  case "service_healthy" ->
                      assertThat(target.healthcheck())
                          .as(
                              "%s waits for %s to be healthy: it needs a healthcheck",
                              service.name(), name)
                          .isNotEmpty();
                  case "service_completed_successfully" ->
                      assertThat(target.longRunning())
                          .as(
                              "%s waits for %s to complete: it must be one-shot",
                              service.name(), name)
                          .isFalse();
                  case "service_started" -> {}
                  default -> throw new AssertionError("unknown condition " + condition);
                }
              });
    }
    assertThat(startOrder()).as("services in start order").hasSize(compose.services().size());
  }

  /**
   * {@code docker compose up --wait} counts a container that exited, even with 0, as a failure
   * unless a running service waits for it with service_completed_successfully (docker/compose
   * #9572, #10596).
   */
  @Test
  void everyOneShotServiceIsAwaitedSoThatUpWaitSucceeds() {
    for (ComposeService oneShot : compose.services().values()) {
      if (oneShot.longRunning()) {
        continue;
      }
      assertThat(compose.services().values())
          .as("a long-running service waits for %s to complete", oneShot.name())
          .anyMatch(
              s ->
                  s.longRunning()
                      && "service_completed_successfully"
                          .equals(s.dependsOn().get(oneShot.name())));
    }
  }

  @Test
  void everyLongRunningServiceRestartsAndReportsHealth() {
    for (ComposeService service : compose.services().values()) {
      if (service.longRunning()) {
        assertThat(service.restart())
            .as(service.name())
            .isIn("unless-stopped", "always", "on-failure");
        assertThat(service.healthcheck()).as("healthcheck of %s", service.name()).isNotEmpty();
      }
    }
  }

  /** A start order honouring depends_on; fails on a cycle. */
  private static List<String> startOrder() {
    List<String> order = new ArrayList<>();
    for (String name : compose.services().keySet()) {
      visit(name, new ArrayList<>(), order);
    }
    return order;
  }

  private static void visit(String name, List<String> path, List<String> order) {
    if (order.contains(name)) {
      return;
    }
    if (path.contains(name)) {
      throw new AssertionError("depends_on cycle: " + path + " -> " + name);
    }
    path.add(name);
    for (String dependency : compose.service(name).dependsOn().keySet()) {
      visit(dependency, path, order);
    }
    path.remove(name);
    order.add(name);
  }

  private static String host(String jdbcUrl) {
    return URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
  }

  private static Stream<DynamicTest> perZgresService(Consumer<ZgresProcess> check) {
    return compose.zgresServices().stream()
        .map(
            service ->
                DynamicTest.dynamicTest(
                    service.name() + " (bin/zgres " + service.zgresCommand() + ")",
                    () -> {
                      ZgresProcess process = ZgresProcess.of(service);
                      process.assumeExists();
                      check.accept(process);
                    }));
  }
}
