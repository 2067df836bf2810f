package dev.zgres.consumers.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {
  @Test
  void remembersTheLastWindowOfIdsAndForgetsOlderOnes() {
    DuplicateFilter filter = new DuplicateFilter(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      filter.handled(id);
    }
    assertThat(filter.seen("a")).isFalse();
    assertThat(filter.seen("b")).isTrue();
    assertThat(filter.seen("d")).isTrue();
    assertThat(filter.size()).isEqualTo(3);
  }

  @Test
  void aZeroWindowRemembersNothing() {
    DuplicateFilter filter = new DuplicateFilter(0);
    filter.handled("a");
    assertThat(filter.seen("a")).isFalse();
  }

  @Test
  void refusesANegativeWindowNamingIt() {
    assertThatThrownBy(() -> new DuplicateFilter(-1))
        .hasMessage("window must be at least 0 (was -1)");
  }
}
