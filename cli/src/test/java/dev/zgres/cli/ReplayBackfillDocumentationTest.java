package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.replay.ReplayConfig;
import dev.zgres.runtime.settings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The README documents every setting and option of replay and backfill. */
class ReplayBackfillDocumentationTest {
  private static String readme() throws IOException {
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
  }

  @Test
  void everySettingTheCommandsReadHasAConfigurationRow() throws IOException {
    String readme = readme();
    List<Setting> settings = new ArrayList<>(ReplayConfig.SETTINGS);
    settings.addAll(BackfillCommand.SETTINGS);
    for (Setting s : settings) {
      String shownDefault = s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`";
      assertThat(readme)
          .as("README row for %s", s.env())
          .contains("| `" + s.env() + "` | " + shownDefault + " |");
    }
  }

  @Test
  void everyOptionOfReplayAndBackfillIsMentionedInTheReadme() throws IOException {
    String readme = readme();
    CommandLine cli = ZgresMain.commandLine();
    for (String command : List.of("replay", "backfill")) {
      assertThat(readme).contains("| `bin/zgres " + command);
      for (OptionSpec option : cli.getSubcommands().get(command).getCommandSpec().options()) {
        String name = option.longestName();
        if (name.startsWith("--")
            && !name.startsWith("--pg-")
            && !name.equals("--help")
            && !name.equals("--version")
            && !name.endsWith("-properties")
            && !name.endsWith("-properties-file")
            && !name.equals("--kafka-bootstrap")) {
          assertThat(readme).as("README mentions %s %s", command, name).contains("`" + name);
        }
      }
    }
  }
}
