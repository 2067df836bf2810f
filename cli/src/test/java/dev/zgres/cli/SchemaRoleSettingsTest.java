package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.zgres.runtime.postgres.SchemaRole;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.SettingValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRoleSettingsTest {

  private static SchemaRole role(Map<String, String> env) {
    SettingValues values = new SettingValues(env);
    SchemaRole role = SchemaRoleSettings.role(values);
    values.throwIfInvalid();
    return role;
  }

  private static List<String> problems(Map<String, String> env) {
    return catchThrowableOfType(ConfigException.class, () -> role(env)).problems();
  }

  @Test
  void withoutARoleTheDatabaseHoldsTheWholeChat() {
    assertThat(role(Map.of())).isEqualTo(new SchemaRole.Single());
  }

  @Test
  void aPartitionNamesItsNumberAndTheCount() {
    assertThat(role(Map.of("ZGRES_SCHEMA_ROLE", "partition", "ZGRES_PARTITION", "1/2")))
        .isEqualTo(new SchemaRole.Partition(1, 2));
    assertThat(problems(Map.of("ZGRES_SCHEMA_ROLE", "partition")))
        .containsExactly(
            "ZGRES_PARTITION must be <number>/<count> for ZGRES_SCHEMA_ROLE=partition, e.g. 1/2"
                + " (was empty)");
    assertThat(problems(Map.of("ZGRES_SCHEMA_ROLE", "partition", "ZGRES_PARTITION", "1/3")))
        .containsExactly(
            "ZGRES_PARTITION must have a count that is a power of two up to 256, and a number"
                + " below it (was 1/3)");
    assertThat(problems(Map.of("ZGRES_SCHEMA_ROLE", "partition", "ZGRES_PARTITION", "2/2")))
        .containsExactly(
            "ZGRES_PARTITION must have a count that is a power of two up to 256, and a number"
                + " below it (was 2/2)");
  }

  @Test
  void aProxyListsAPowerOfTwoOfPartitions() {
    SchemaRole proxy =
        role(
            Map.of(
                "ZGRES_SCHEMA_ROLE", "proxy",
                "ZGRES_PLPROXY_PARTITIONS", "host=db0 dbname=chat | host=db1 dbname=chat",
                "ZGRES_PLPROXY_USER", "chat",
                "ZGRES_PLPROXY_PASSWORD", "s3cret"));
    assertThat(proxy)
        .isEqualTo(
            new SchemaRole.Proxy(
                List.of("host=db0 dbname=chat", "host=db1 dbname=chat"), "chat", "s3cret"));
    assertThat(proxy.toString()).doesNotContain("s3cret");
    assertThat(
            problems(
                Map.of(
                    "ZGRES_SCHEMA_ROLE", "proxy",
                    "ZGRES_PLPROXY_PARTITIONS", "host=a|host=b|host=c")))
        .singleElement()
        .asString()
        .startsWith(
            "ZGRES_PLPROXY_PARTITIONS must list the partitions for ZGRES_SCHEMA_ROLE=proxy:")
        .contains("power of two (was 3)");
  }

  @Test
  void anUnknownRoleIsRefusedNamingTheChoices() {
    assertThat(problems(Map.of("ZGRES_SCHEMA_ROLE", "shard")))
        .containsExactly("ZGRES_SCHEMA_ROLE must be one of single, partition, proxy (was shard)");
  }
}
