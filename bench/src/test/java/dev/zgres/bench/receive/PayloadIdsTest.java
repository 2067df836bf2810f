package dev.zgres.bench.receive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadIdsTest {
  @Test
  void findsIdInTheGenericTriggersPayload() {
    String payload =
        "{\"timestamp\" : \"2026-01-01T00:00:00+00:00\", \"operation\" : \"INSERT\", \"schema\" : "
            + "\"zgres_bench\", \"table\" : \"watched\", \"data\" : {\"id\": 123456, \"body\": \"xx\", \"writer\": 3}}";
    assertThat(PayloadIds.extract(payload)).isEqualTo(123456);
  }

  @Test
  void findsIdInThePlainTriggersPayload() {
    assertThat(PayloadIds.extract("{\"id\" : 42, \"writer\" : 0, \"body\" : \"x\"}")).isEqualTo(42);
  }

  @Test
  void answersMinusOneWithoutAnId() {
    assertThat(PayloadIds.extract("{\"other\": 1}")).isEqualTo(-1);
    assertThat(PayloadIds.extract("{\"id\": \"text\"}")).isEqualTo(-1);
  }
}
