package dev.zgres.runtime.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRoleTest {

  @Test
  void aPartitionGetsTheSingleServerSchemaThenItsOwnWithItsNumberAndCount() {
    SchemaRole role = new SchemaRole.Partition(1, 4);

    assertThat(role.locations())
        .containsExactly(SchemaMigrator.LOCATION, "classpath:zgres/plproxy/partition");
    assertThat(role.placeholders())
        .isEqualTo(Map.of("zgres_partition", "1", "zgres_partitions", "4"));
  }

  @Test
  void theProxyGetsOnlyItsOwnSchemaAndTheClusterAsParameters() {
    SchemaRole role = new SchemaRole.Proxy(List.of("host=a", "host=b"), "chat", "pw");

    assertThat(role.locations()).containsExactly("classpath:zgres/plproxy/proxy");
    assertThat(role.placeholders())
        .containsEntry("plproxy_partitions", "host=a|host=b")
        .containsEntry("plproxy_user", "chat")
        .containsEntry("plproxy_password", "pw");
  }

  @Test
  void partitionCountsArePowersOfTwoUpTo256() {
    assertThatThrownBy(() -> new SchemaRole.Partition(0, 3))
        .hasMessage("partition count must be a power of two from 1 to 256 (was 3)");
    assertThatThrownBy(() -> new SchemaRole.Partition(0, 512))
        .hasMessage("partition count must be a power of two from 1 to 256 (was 512)");
    assertThatThrownBy(() -> new SchemaRole.Partition(2, 2))
        .hasMessage("partition number must be from 0 to 1 (was 2)");
    assertThatThrownBy(() -> new SchemaRole.Proxy(List.of("host=a", "b|c", "d"), "u", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
