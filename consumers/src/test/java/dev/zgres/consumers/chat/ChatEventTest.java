package dev.zgres.consumers.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatEventTest {
  private static ChatEvent parse(String json) {
    return ChatEvent.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAMessageCreatedEventAsTheTriggerWritesIt() {
    ChatEvent event =
        parse(
            "{\"event\":\"message_created\",\"message_id\":12,\"channel_id\":3,\"user_id\":7,"
                + "\"username\":\"ana\",\"content\":\"hi @ai\",\"message_type\":\"user\","
                + "\"created_at\":\"2026-12-01T10:00:00Z\"}");
    assertThat(event)
        .isEqualTo(new ChatEvent("message_created", 12, 3, 7, "ana", "hi @ai", "user"));
    assertThat(event.isUserText()).isTrue();
  }

  @Test
  void theAssistantsRepliesAndOtherEventsAreNotUserText() {
    assertThat(
            parse(
                    "{\"event\":\"message_created\",\"message_id\":13,\"channel_id\":3,"
                        + "\"user_id\":null,\"content\":\"an answer\",\"message_type\":\"ai_suggestion\"}")
                .isUserText())
        .isFalse();
    assertThat(
            parse("{\"event\":\"reaction_added\",\"message_id\":13,\"channel_id\":3}").isUserText())
        .isFalse();
  }

  @Test
  void refusesValuesThatAreNotChatEvents() {
    assertThatThrownBy(() -> parse("not json"))
        .isInstanceOf(ChatEvent.MalformedEventException.class)
        .hasMessageStartingWith("record value is not JSON");
    assertThatThrownBy(() -> parse("[1,2]"))
        .hasMessage("record value is not a JSON object with an event");
    assertThatThrownBy(() -> parse("{\"event\":\"message_created\",\"message_id\":\"x\"}"))
        .hasMessage("message_created without a numeric message_id");
  }
}
