package dev.zgres.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.config.Setting;
import dev.zgres.bridge.metrics.BridgeMeters;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void metricsListNamesEveryMeter() throws Exception {
    String readme = readme();
    List<String> names = new ArrayList<>();
    for (Field f : BridgeMeters.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add(((String) f.get(null)).replace('.', '_'));
      }
    }
    assertThat(names).isNotEmpty();
    assertThat(names)
        .allSatisfy(n -> assertThat(readme).as("README mentions %s", n).contains("`" + n));
  }
}
