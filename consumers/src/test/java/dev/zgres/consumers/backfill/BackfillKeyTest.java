package dev.zgres.consumers.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillKeyTest {
  @Test
  void aOneColumnKeyIsItsValue() {
    assertThat(BackfillKey.parse("4500", 1)).containsExactly("4500");
    assertThat(BackfillKey.format(List.of("4500"))).isEqualTo("4500");
    assertThat(BackfillKey.shellWord(List.of("it's"))).isEqualTo("'it'\\''s'");
  }

  @Test
  void aCompositeKeyIsAJsonArrayAndRoundTrips() {
    List<String> key = List.of("eu", "4500");
    String printed = BackfillKey.format(key);
    assertThat(printed).isEqualTo("[\"eu\",\"4500\"]");
    assertThat(BackfillKey.parse(printed, 2)).isEqualTo(key);
    assertThat(BackfillKey.parse("[\"eu\", 4500]", 2)).isEqualTo(key);
    assertThat(BackfillKey.shellWord(key)).isEqualTo("'[\"eu\",\"4500\"]'");
  }

  @Test
  void aCompositeKeyOfTheWrongShapeIsRefused() {
    assertThatThrownBy(() -> BackfillKey.parse("4500", 2))
        .hasMessage(
            "must be a JSON array of the 2 primary key values, as progress lines print it (was"
                + " 4500)");
  }

  @Test
  void thePacerHoldsTheAverageRate() {
    Pacer pacer = new Pacer(1_000);
    assertThat(pacer.pauseMillis(500, 100_000_000L)).isEqualTo(400);
    assertThat(pacer.pauseMillis(500, 900_000_000L)).isZero();
    assertThat(new Pacer(0).pauseMillis(1_000_000, 0)).isZero();
  }

  @Test
  void aChannelIdGoesWithChatMessagesOnly() {
    assertThat(BackfillSource.of("chat.messages", 3)).isEqualTo(new BackfillSource.ChatChannel(3));
    assertThat(BackfillSource.of("public.orders", null))
        .isEqualTo(new BackfillSource.Table("public.orders"));
    assertThatThrownBy(() -> BackfillSource.of("public.orders", 3))
        .hasMessageContaining("--channel-id goes with the table chat.messages (was public.orders)");
    assertThatThrownBy(() -> BackfillSource.of("chat.messages", null))
        .hasMessageContaining("chat.messages needs --channel-id N");
  }
}
