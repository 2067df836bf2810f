package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.embedded.FreePort;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The compose file's services run for real, without Docker: each zgres service's command started as
 * the image's ENTRYPOINT starts it, with the service's environment (addresses, ports and secret
 * files rewritten for an embedded PostgreSQL and Kafka), after the postgres service's init scripts
 * and the one-shot migrate. Then: the image's healthcheck against each, every dashboard metric in
 * the live scrape of the jobs its query selects, a real Prometheus with the compose scrape
 * configuration, and SIGTERM. Services whose command this build lacks are skipped by name.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final Map<String, Integer> oneShotExits = new LinkedHashMap<>();
  private final Map<String, ImageProcess> running = new LinkedHashMap<>();
  private final Map<String, String> absent = new LinkedHashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ComposeFile compose;
  private Path dir;

  @BeforeAll
  void startTheComposeServicesOnEmbeddedServers() throws Exception {
    assertThat(RepoFiles.imageJar())
        .as("the image's jar; build it first: ./mvnw -pl deploy -am verify")
        .isRegularFile();
    compose = ComposeFile.load();
    Dockerfile image = Dockerfile.load(RepoFiles.dockerfile());
    dir = Files.createTempDirectory("zgres-deploy-it");
    PgEndpoint db = TestServers.emptyDatabase();
    runInitScripts(db);
    LocalEnvironment local = new LocalEnvironment(compose, db, TestServers.kafkaBootstrap(), dir);
    for (ComposeService service : compose.zgresServices()) {
      if (!service.inDefaultProfile()) {
        absent.put(
            service.name(),
            "compose service "
                + service.name()
                + " is in profile "
                + service.profiles()
                + ", which this test does not start");
      } else if (!service.longRunning()) {
        try (ImageProcess job = ImageProcess.start(image, service, local.of(service), dir)) {
          oneShotExits.put(service.name(), job.awaitExit(WAIT));
          System.out.println(service.name() + ": " + Files.readString(job.log()).strip());
        }
      }
    }
    for (ComposeService service : compose.zgresServices()) {
      ZgresProcess process = ZgresProcess.of(service);
      if (!service.longRunning() || absent.containsKey(service.name())) {
        continue;
      }
      if (!process.existsInThisBuild()) {
        absent.put(
            service.name(), "bin/zgres " + process.command() + " does not exist in this build yet");
        continue;
      }
      ImageProcess started = ImageProcess.start(image, service, local.of(service), dir);
      running.put(service.name(), started);
      toClose.add(started);
    }
    for (ImageProcess p : running.values()) {
      Await.until(
          p.service() + " to answer /health with 200",
          WAIT,
          () -> {
            if (!p.alive()) {
              throw new AssertionError(p.service() + " exited:\n" + Files.readString(p.log()));
            }
            return p.health() == 200;
          });
    }
    produceTraffic(db);
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  @Order(1)
  void oneShotServicesFinishWithStatusZero() {
    assertThat(oneShotExits).containsKey("migrate");
    oneShotExits.forEach((name, status) -> assertThat(status).as(name).isZero());
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> theImagesHealthcheckPassesOnEveryLongRunningService() {
    return perLongRunningService(
        p -> {
          Tools.Run check = HealthcheckScriptIT.healthcheck(p.metricsPort());
          assertThat(check.exitStatus()).as(check.output()).isZero();
        });
  }

  @TestFactory
  @Order(3)
  Stream<DynamicTest> everyDashboardMetricIsInTheLiveScrapeOfEachJobItsQuerySelects()
      throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> jobs = PrometheusConfig.load().targets().keySet();
    for (Dashboard.Query query : Dashboard.load().queries()) {
      for (String job : query.jobsAmong(jobs)) {
        tests.add(
            DynamicTest.dynamicTest(
                query.panel() + " " + query.refId() + " on " + job,
                () -> {
                  ImageProcess p = runningOrSkip(job);
                  for (String metric : query.metrics()) {
                    Await.until(
                        job + " to expose " + metric + " (" + query.describe() + ")",
                        WAIT,
                        () -> p.exposes(metric));
                  }
                }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  @Order(4)
  Stream<DynamicTest> prometheusWithTheComposeScrapeConfigSeesEveryTargetAndEverySeries()
      throws Exception {
    Path binary = Tools.require("prometheus", "prometheus");
    PrometheusConfig config = PrometheusConfig.load();
    int port = FreePort.pick();
    Map<String, List<String>> targets = new LinkedHashMap<>();
    for (String job : config.targets().keySet()) {
      if (job.equals("prometheus")) {
        targets.put(job, List.of("127.0.0.1:" + port));
      } else if (running.containsKey(job)) {
        targets.put(job, List.of("127.0.0.1:" + running.get(job).metricsPort()));
      }
    }
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    PrometheusServer prometheus =
        PrometheusServer.start(binary, config.withTargets(targets, "1s"), promDir, port);
    toClose.add(prometheus);
    Await.until("Prometheus to be ready (log " + prometheus.log() + ")", WAIT, prometheus::ready);
    List<DynamicTest> tests = new ArrayList<>();
    for (String job : config.targets().keySet()) {
      tests.add(
          DynamicTest.dynamicTest(
              "target " + job + " is up",
              () -> {
                if (!job.equals("prometheus")) {
                  runningOrSkip(job);
                }
                Await.until(
                    "up{job=\"" + job + "\"} == 1",
                    WAIT,
                    () -> prometheus.query("up{job=\"" + job + "\"} == 1").size() == 1);
              }));
    }
    for (Dashboard.Query query : Dashboard.load().queries()) {
      tests.add(
          DynamicTest.dynamicTest(
              query.panel() + " " + query.refId() + " returns a series",
              () -> {
                Set<String> selected = query.jobsAmong(config.targets().keySet());
                Assumptions.assumeTrue(
                    selected.stream().anyMatch(running::containsKey),
                    () ->
                        "no process this query selects runs: "
                            + selected.stream()
                                .map(j -> absent.getOrDefault(j, j + " was not started"))
                                .toList());
                Await.until(
                    "a series for " + query.describe(),
                    WAIT,
                    () -> !prometheus.query(query.promql()).isEmpty());
              }));
    }
    return tests.stream();
  }

  @TestFactory
  @Order(5)
  Stream<DynamicTest> sigtermDrainsAndEveryProcessExitsZero() {
    return perLongRunningService(
        p -> {
          p.stop();
          int status = p.awaitExit(Duration.ofSeconds(60));
          assertThat(status).as("exit status; log:\n%s", Files.readString(p.log())).isZero();
        });
  }

  private interface ProcessCheck {
    void check(ImageProcess process) throws Exception;
  }

  private Stream<DynamicTest> perLongRunningService(ProcessCheck check) {
    return compose.zgresServices().stream()
        .filter(ComposeService::longRunning)
        .map(s -> DynamicTest.dynamicTest(s.name(), () -> check.check(runningOrSkip(s.name()))));
  }

  private ImageProcess runningOrSkip(String service) {
    Assumptions.assumeFalse(absent.containsKey(service), () -> absent.get(service));
    ImageProcess p = running.get(service);
    assertThat(p).as("a running process for job %s", service).isNotNull();
    return p;
  }

  /** The postgres image runs these once, in POSTGRES_DB, before anything connects. */
  private void runInitScripts(PgEndpoint db) throws Exception {
    Path initdb =
        compose.service("postgres").volumes().stream()
            .map(v -> v.split(":"))
            .filter(v -> v[1].equals("/docker-entrypoint-initdb.d"))
            .map(v -> compose.directory().resolve(v[0]).normalize())
            .findFirst()
            .orElseThrow();
    List<Path> scripts;
    try (Stream<Path> files = Files.list(initdb)) {
      scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      for (Path script : scripts) {
        s.execute(Files.readString(script));
      }
    }
  }

  /** Chat messages (one for the AI), and a payload whose key cannot be derived (a dead letter). */
  private static void produceTraffic(PgEndpoint db) throws Exception {
    try (ChatApi chat = ChatApi.connect(db)) {
      int alice = chat.newUser("alice");
      int bob = chat.newUser("bob");
      int channel = chat.createChannel(alice, "deploy-it", "public", bob);
      for (int i = 0; i < 5; i++) {
        chat.postMessage(alice, channel, "hello " + i);
      }
      chat.postMessage(bob, channel, "@ai help: what does the dashboard show? urgent");
      chat.run("SELECT zgres.emit('websocket_event', 'not json, so no channel_id to key by')");
    }
  }
}
