package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The servers of {@code docker-compose.yml}: a logical PostgreSQL whose writers use the transport
 * the bridge reads, a Kafka broker of the client's version, pinned images and data in named
 * volumes.
 */
class ComposeServersTest {
  private static ComposeFile compose;

  @BeforeAll
  static void load() throws IOException {
    compose = ComposeFile.load();
  }

  @Test
  void walBridgeReadsALogicalDatabaseWhoseWritersEmitToTheWal() throws IOException {
    ComposeService bridge = compose.service("bridge");
    assertThat(bridge.environment()).containsEntry("ZGRES_SOURCE", "wal");
    ComposeService postgres = compose.service("postgres");
    assertThat(String.join(" ", postgres.command())).contains("wal_level=logical");
    String database =
        URI.create(bridge.environment().get("ZGRES_PG_URL").substring("jdbc:".length()))
            .getPath()
            .substring(1);
    assertThat(postgres.environment()).containsEntry("POSTGRES_DB", database);
    Path initdb = mountedHostDirectory(postgres, "/docker-entrypoint-initdb.d");
    List<String> scripts = new ArrayList<>();
    try (Stream<Path> files = Files.list(initdb)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
        scripts.add(Files.readString(f));
      }
    }
    assertThat(String.join("\n", scripts))
        .as("an init script sets zgres.transport to wal for the bridge's database")
        .contains("SET zgres.transport = %L")
        .contains("'wal'");
  }

  @Test
  void kafkaIsTheClientsMajorMinorAndItsClusterIdIsValid() {
    ComposeService kafka = compose.service("kafka");
    Matcher tag = Pattern.compile("apache/kafka:(\\d+)\\.(\\d+)\\.\\d+").matcher(kafka.image());
    assertThat(tag.matches()).as("pinned official image: %s", kafka.image()).isTrue();
    String[] client = AppInfoParser.getVersion().split("\\.");
    assertThat(tag.group(1) + "." + tag.group(2))
        .as("broker major.minor vs kafka-clients " + AppInfoParser.getVersion())
        .isEqualTo(client[0] + "." + client[1]);
    Uuid.fromString(kafka.environment().get("CLUSTER_ID"));
  }

  @Test
  void imagesArePinnedAndDataLivesInNamedVolumes() {
    for (ComposeService service : compose.services().values()) {
      if (!service.zgres()) {
        assertThat(service.image())
            .as("image of %s is pinned to an exact tag", service.name())
            .matches(".+:[^:]*\\d+\\.\\d+[^:]*")
            .doesNotEndWith(":latest");
      }
      for (String volume : service.volumes()) {
        String source = volume.split(":")[0];
        if (source.startsWith(".")) {
          assertThat(compose.directory().resolve(source)).as("%s mounts", service.name()).exists();
        } else {
          assertThat(compose.volumes()).as("named volume of %s", service.name()).contains(source);
        }
      }
    }
    assertThat(compose.services().get("postgres").volumes())
        .anyMatch(v -> v.endsWith(":/var/lib/postgresql/data"));
    assertThat(compose.services().get("kafka").volumes())
        .anyMatch(v -> v.endsWith(":/var/lib/kafka/data"));
    assertThat(compose.service("kafka").environment())
        .containsEntry("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
  }

  private static Path mountedHostDirectory(ComposeService service, String containerPath) {
    return service.volumes().stream()
        .map(v -> v.split(":"))
        .filter(parts -> parts.length >= 2 && parts[1].equals(containerPath))
        .map(parts -> compose.directory().resolve(parts[0]).normalize())
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(service.name() + " mounts nothing at " + containerPath));
  }
}
