package dev.zgres.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Programs of the machine the checks run (promtool, prometheus, bash), found on the PATH. */
final class Tools {
  private Tools() {}

  static Optional<Path> find(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The program, or the calling test is skipped saying what is missing and how to get it. */
  static Path require(String program, String debianPackage) {
    Optional<Path> found = find(program);
    Assumptions.assumeTrue(
        found.isPresent(),
        () ->
            program
                + " is not on the PATH: install the Debian package "
                + debianPackage
                + " (apt-get install -y "
                + debianPackage
                + "; .ci/run does) to run this check");
    return found.orElseThrow();
  }

  /** What a finished program printed (stdout and stderr together) and its exit status. */
  record Run(int exitStatus, String output) {}

  static Run run(List<String> command, Path directory) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    builder.directory(directory.toFile());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Run(process.exitValue(), output);
  }
}
