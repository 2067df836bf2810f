package dev.zgres.bridge.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelNameTest {

  @Test
  void quotesEmbeddedDoubleQuotesSoNamesCannotBreakOut() {
    assertThat(ChannelName.quote("a\"; DROP TABLE t; --")).isEqualTo("\"a\"\"; DROP TABLE t; --\"");
    assertThat(ChannelName.quote("Mixed Case")).isEqualTo("\"Mixed Case\"");
  }

  @Test
  void countsBytesNotCharactersAgainstTheLimit() {
    String sixteenEmoji = "🙂".repeat(16); // 64 bytes in UTF-8
    assertThat(ChannelName.problem(sixteenEmoji))
        .contains("at most 63 bytes")
        .contains("was 64 bytes");
    assertThat(ChannelName.problem("é".repeat(31))).isNull();
  }

  @Test
  void rejectsWhatPostgresqlCannotCarry() {
    assertThatThrownBy(() -> ChannelName.quote("nul\0byte"))
        .hasMessageContaining("must not contain NUL");
    assertThat(ChannelName.problem("")).isEqualTo("must not be empty");
  }

  @Test
  void selectorMatchesPatternsAndNamesTheEntryAChannelCameFrom() {
    ChannelSelector selector = ChannelSelector.parse("db_notifications, chat_message_*, a.b*c");
    assertThat(selector.matchesPattern("chat_message_12")).isTrue();
    assertThat(selector.matchesPattern("chat_messages")).isFalse();
    assertThat(selector.matchesPattern("a.bXXc")).isTrue();
    assertThat(selector.matchesPattern("aXbc")).isFalse();
    assertThat(selector.specFor("chat_message_12")).contains("chat_message_*");
    assertThat(selector.specFor("db_notifications")).contains("db_notifications");
    assertThat(selector.specFor("other")).isEmpty();
  }
}
