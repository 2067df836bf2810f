package dev.zgres.consumers.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelWindowTest {
  private static WindowEntry entry(long offset) {
    return new WindowEntry(offset, new byte[] {(byte) offset}, 0);
  }

  @Test
  void recoversEverythingAfterAPositionInsideTheWindow() {
    ChannelWindow window = new ChannelWindow(3, 9);
    window.append(entry(10));
    window.append(entry(14));
    window.append(entry(20));
    ResumeDecision d = window.decide(new Position("e", 10), "e", 25, 1000);
    assertThat(d).isInstanceOf(ResumeDecision.Recovered.class);
    assertThat(((ResumeDecision.Recovered) d).missed())
        .extracting(WindowEntry::offset)
        .containsExactly(14L, 20L);
  }

  @Test
  void recoversNothingMissedWhenThePositionIsPastTheLastRecord() {
    ChannelWindow window = new ChannelWindow(3, 9);
    window.append(entry(10));
    assertThat(window.decide(new Position("e", 30), "e", 25, 1000))
        .isEqualTo(new ResumeDecision.Recovered(java.util.List.of()));
  }

  @Test
  void seeksKafkaOnceTheMissedRecordsWereEvicted() {
    ChannelWindow window = new ChannelWindow(2, 9);
    window.append(entry(10));
    window.append(entry(14));
    window.append(entry(20));
    assertThat(window.coveredAfter()).isEqualTo(10);
    assertThat(window.decide(new Position("e", 10), "e", 25, 1000))
        .isInstanceOf(ResumeDecision.Recovered.class);
    assertThat(window.decide(new Position("e", 9), "e", 25, 1000))
        .isEqualTo(new ResumeDecision.SeekKafka(10));
  }

  @Test
  void seeksKafkaForPositionsBeforeTheWindowStarted() {
    ChannelWindow window = new ChannelWindow(10, 100);
    assertThat(window.decide(new Position("e", 50), "e", 100, 1000))
        .isEqualTo(new ResumeDecision.SeekKafka(51));
  }

  @Test
  void refetchesAnotherEpochOrAPositionTooFarBehind() {
    ChannelWindow window = new ChannelWindow(10, 100);
    assertThat(window.decide(new Position("old", 100), "e", 100, 1000))
        .isEqualTo(new ResumeDecision.Refetch(ResumeDecision.EPOCH_CHANGED));
    assertThat(window.decide(new Position("e", 5), "e", 5000, 1000))
        .isEqualTo(new ResumeDecision.Refetch(ResumeDecision.TOO_FAR_BEHIND));
  }

  @Test
  void refusesOffsetsThatDoNotIncrease() {
    ChannelWindow window = new ChannelWindow(10, 5);
    window.append(entry(6));
    assertThatThrownBy(() -> window.append(entry(6))).hasMessageContaining("must increase");
    assertThatThrownBy(() -> new ChannelWindow(10, 5).append(entry(5)))
        .hasMessageContaining("must increase");
  }
}
