package dev.zgres.bench.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BridgeJvmTest {
  @Test
  void theBenchmarkStartsTheBridgeWithTheLaunchersJvmOptions() throws IOException {
    Path launcher = Path.of("..", "bin", "zgres");
    Matcher m =
        Pattern.compile("(?m)^bridge_jvm_defaults=\"([^\"]*)\"$")
            .matcher(Files.readString(launcher));
    assertThat(m.find()).as("bin/zgres defines bridge_jvm_defaults").isTrue();
    assertThat(BridgeJvm.LAUNCHER_DEFAULTS).isEqualTo(m.group(1));
  }

  @Test
  void theLauncherUsesTheSameClassArchiveOptions() throws IOException {
    String launcher = Files.readString(Path.of("..", "bin", "zgres"));
    for (String option : BridgeJvm.classArchive(Path.of("x.jsa"))) {
      String name = option.contains("=") ? option.substring(0, option.indexOf('=') + 1) : option;
      assertThat(launcher).contains(name);
    }
  }
}
