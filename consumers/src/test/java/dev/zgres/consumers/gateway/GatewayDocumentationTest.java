package dev.zgres.consumers.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.runtime.settings.Setting;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration table and metrics list cover the gateway. */
class GatewayDocumentationTest {

  private static String readme() throws IOException {
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
  }

  @Test
  void configurationTableListsEveryGatewaySettingWithItsDefault() throws IOException {
    String readme = readme();
    for (Setting s : GatewaySettings.ALL) {
      String shownDefault = s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`";
      assertThat(readme)
          .as("README row for %s", s.env())
          .contains("| `" + s.env() + "` | " + shownDefault + " |");
    }
  }

  @Test
  void metricsListNamesEveryGatewayMeter() throws Exception {
    String readme = readme();
    List<String> names = new ArrayList<>();
    for (Field f : GatewayMeters.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add(((String) f.get(null)).replace('.', '_'));
      }
    }
    assertThat(names).hasSize(12);
    assertThat(names)
        .allSatisfy(n -> assertThat(readme).as("README mentions %s", n).contains("| `" + n));
  }
}
