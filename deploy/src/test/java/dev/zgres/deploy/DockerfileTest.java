package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules a linter would hold the Dockerfile to (hadolint is not packaged for Debian and no
 * registry is reachable here), written as checks: pinned bases, a non-root user, nothing of the
 * build in the runtime image, signals reaching the JVM, and the jar and healthcheck the compose
 * file relies on.
 */
class DockerfileTest {
  private static final Pattern PINNED =
      Pattern.compile("[^:@]+(:(\\d+\\.\\d+\\.\\d+[^:@]*))?(@sha256:[0-9a-f]{64})?");

  private static Dockerfile dockerfile;

  @BeforeAll
  static void load() throws IOException {
    dockerfile = Dockerfile.load(RepoFiles.dockerfile());
  }

  @Test
  void buildsInOneStageAndRunsInAnother() {
    assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
    Dockerfile.Stage build = dockerfile.stages().get(0);
    assertThat(build.all("RUN"))
        .as("the build stage runs the Maven wrapper on the cli module")
        .anyMatch(r -> r.arguments().contains("./mvnw") && r.arguments().contains("-pl cli"));
  }

  @Test
  void everyBaseImageIsPinnedToAnExactVersionOrDigest() {
    for (Dockerfile.Stage stage : dockerfile.stages()) {
      Matcher m = PINNED.matcher(stage.from());
      assertThat(m.matches() && (m.group(2) != null || m.group(3) != null))
          .as("FROM %s is pinned (x.y.z tag or sha256 digest)", stage.from())
          .isTrue();
    }
  }

  @Test
  void runsOnAJava21RuntimeNotAJdk() {
    String base = dockerfile.last().from();
    assertThat(base).contains(":21.").contains("-jre");
    assertThat(dockerfile.stages().get(0).from()).contains(":21.");
  }

  @Test
  void runsAsANumericNonRootUser() {
    String user = dockerfile.last().last("USER").orElseThrow().arguments().trim();
    String uid = user.split(":")[0];
    assertThat(uid).as("numeric, so Kubernetes runAsNonRoot can verify it").matches("\\d+");
    assertThat(Integer.parseInt(uid)).isPositive();
    int userAt = dockerfile.last().instructions().indexOf(dockerfile.last().last("USER").get());
    assertThat(
            dockerfile
                .last()
                .instructions()
                .subList(userAt, dockerfile.last().instructions().size()))
        .as("nothing runs as root after USER")
        .noneMatch(i -> i.keyword().equals("RUN"));
  }

  @Test
  void theRuntimeStageHoldsNoSourcesAndNoBuildTools() {
    Dockerfile.Stage runtime = dockerfile.last();
    for (Dockerfile.Instruction copy : runtime.all("COPY")) {
      String args = copy.arguments();
      if (args.contains("--from=")) {
        assertThat(args).as("copied from the build stage: the jar only").contains(".jar");
      } else {
        assertThat(args)
            .as("copied from the context: the healthcheck script only")
            .contains("deploy/docker/zgres-healthcheck");
      }
    }
    assertThat(runtime.all("ADD")).isEmpty();
    assertThat(runtime.all("RUN"))
        .noneMatch(r -> r.arguments().matches("(?s).*\\b(mvnw?|apt-get|javac|git)\\b.*"));
  }

  @Test
  void theJvmIsPid1InExecFormAndSizedForTheContainer() {
    Dockerfile.Stage runtime = dockerfile.last();
    List<String> entrypoint =
        runtime
            .last("ENTRYPOINT")
            .orElseThrow()
            .execForm()
            .orElseThrow(() -> new AssertionError("ENTRYPOINT must be exec form"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
    assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError");
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    assertThat(runtime.all("COPY")).anyMatch(c -> c.arguments().endsWith(" " + jar));
    assertThat(runtime.last("CMD").orElseThrow().execForm()).isPresent();
    assertThat(runtime.last("STOPSIGNAL").map(i -> i.arguments().trim())).hasValue("SIGTERM");
  }

  @Test
  void djlCachesInADirectoryTheUserOwns() {
    Dockerfile.Stage runtime = dockerfile.last();
    String env =
        runtime.all("ENV").stream()
            .map(Dockerfile.Instruction::arguments)
            .filter(a -> a.startsWith("DJL_CACHE_DIR="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("ENV DJL_CACHE_DIR is not set"));
    String dir = env.substring("DJL_CACHE_DIR=".length()).trim();
    assertThat(runtime.all("RUN"))
        .as("a RUN creates %s owned by the runtime user", dir)
        .anyMatch(r -> r.arguments().contains("install -d -o zgres -g zgres " + dir));
  }

  @Test
  void theClassArchiveIsWrittenToADirectoryTheUserOwns() {
    Dockerfile.Stage runtime = dockerfile.last();
    List<String> entrypoint = runtime.last("ENTRYPOINT").orElseThrow().execForm().orElseThrow();
    assertThat(entrypoint).contains("-XX:+AutoCreateSharedArchive");
    String archive =
        entrypoint.stream()
            .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no -XX:SharedArchiveFile in the ENTRYPOINT"))
            .substring("-XX:SharedArchiveFile=".length());
    String dir = archive.substring(0, archive.lastIndexOf('/'));
    assertThat(runtime.all("RUN"))
        .as("a RUN creates %s owned by the runtime user", dir)
        .anyMatch(
            r -> r.arguments().matches("(?s).*install -d -o zgres -g zgres [^&]*" + dir + "\\b.*"));
  }

  @Test
  void theHealthcheckTheComposeFileCallsIsOnThePath() throws IOException {
    assertThat(dockerfile.last().all("COPY"))
        .anyMatch(
            c ->
                c.arguments()
                    .endsWith("deploy/docker/zgres-healthcheck /usr/local/bin/zgres-healthcheck"));
    assertThat(Files.isExecutable(RepoFiles.healthcheckScript())).isTrue();
    assertThat(Files.readString(RepoFiles.healthcheckScript())).startsWith("#!/usr/bin/env bash\n");
  }

  @Test
  void theBuildContextKeepsEveryModulesPomAndDropsBuildOutput() throws IOException {
    Path root = RepoFiles.root();
    List<PathMatcher> ignored =
        Files.readAllLines(root.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p))
            .toList();
    String pom = Files.readString(root.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (module.find()) {
      for (String kept : List.of(module.group(1) + "/pom.xml", module.group(1))) {
        assertThat(ignored)
            .as("%s is in the build context", kept)
            .noneMatch(m -> m.matches(Path.of(kept)));
      }
    }
    for (String dropped : List.of(".git", "cli/target", "bridge/target", ".cache")) {
      assertThat(ignored).as("%s is left out", dropped).anyMatch(m -> m.matches(Path.of(dropped)));
    }
  }
}
