package dev.zgres.consumers.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayPositionsTest {
  private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");
  private static final Map<Integer, Long> BEGIN = Map.of(0, 10L, 1, 0L);
  private static final Map<Integer, Long> END = Map.of(0, 100L, 1, 50L);

  private static Map<Integer, PartitionRange> resolve(ReplayBound since, ReplayBound until) {
    return ReplayPositions.resolve(
        since, until, BEGIN, END, time -> time.equals(T1) ? Map.of(0, 40L, 1, 5L) : Map.of(0, 70L));
  }

  @Test
  void openBoundsReadEverythingHeldUpToTheEndSnapshot() {
    assertThat(resolve(new ReplayBound.Open(), new ReplayBound.Open()))
        .containsEntry(0, new PartitionRange(0, 10, 100))
        .containsEntry(1, new PartitionRange(1, 0, 50));
  }

  @Test
  void timesBecomeTheFirstOffsetAtOrAfterThemAndAPartitionWithNoneEndsAtItsEnd() {
    assertThat(resolve(new ReplayBound.AtTime(T1), new ReplayBound.AtTime(T2)))
        .containsEntry(0, new PartitionRange(0, 40, 70))
        .containsEntry(1, new PartitionRange(1, 5, 50));
  }

  @Test
  void offsetsAreKeptWithinWhatKafkaHolds() {
    assertThat(resolve(new ReplayBound.AtOffset(3), new ReplayBound.AtOffset(500)))
        .containsEntry(0, new PartitionRange(0, 10, 100))
        .containsEntry(1, new PartitionRange(1, 3, 50));
  }

  @Test
  void aWindowThatEndsBeforeItStartsIsEmpty() {
    Map<Integer, PartitionRange> ranges =
        resolve(new ReplayBound.AtOffset(60), new ReplayBound.AtTime(T1));
    assertThat(ranges.get(0).isEmpty()).isTrue();
    assertThat(ranges.get(0).from()).isEqualTo(60);
    assertThat(ranges.get(1).isEmpty()).isTrue();
  }

  @Test
  void aTimeAfterEveryRecordReadsNothing() {
    assertThat(resolve(new ReplayBound.AtTime(T2), new ReplayBound.Open()).get(1))
        .isEqualTo(new PartitionRange(1, 50, 50));
  }
}
