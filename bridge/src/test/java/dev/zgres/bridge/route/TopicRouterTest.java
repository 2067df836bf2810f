package dev.zgres.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRouterTest {
  private final TopicRouter defaults = new TopicRouter(List.of());

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chatMessagesAreKeyedByChannelId() {
    assertThat(defaults.route("chat_message_42", bytes("{}")))
        .isEqualTo(new RouteDecision.Deliver("chat.messages", "42"));
  }

  @Test
  void websocketEventsAreKeyedByThePayloadsChannelId() {
    assertThat(
            defaults.route(
                "websocket_event", bytes("{\"event_type\":\"typing\",\"channel_id\":7}")))
        .isEqualTo(new RouteDecision.Deliver("chat.websocket_events", "7"));
  }

  @Test
  void eventsOfNoChannelSuchAsPresenceAreKeyedByTheirUser() {
    assertThat(
            defaults.route(
                "websocket_event",
                bytes("{\"event_type\":\"presence\",\"channel_id\":null,\"user_id\":12}")))
        .isEqualTo(new RouteDecision.Deliver("chat.websocket_events", "12"));
  }

  @Test
  void rowChangesAreKeyedBySchemaAndTable() {
    assertThat(
            defaults.route(
                "db_notifications",
                bytes("{\"schema\":\"public\",\"table\":\"inputs\",\"data\":{}}")))
        .isEqualTo(new RouteDecision.Deliver("db_notifications", "public.inputs"));
  }

  @Test
  void otherChannelsGoToATopicOfTheirName() {
    assertThat(defaults.route("orders", bytes("not json at all")))
        .isEqualTo(new RouteDecision.Deliver("orders", "orders"));
  }

  @Test
  void missingNullOrNonScalarKeyFieldsGoToTheDeadLetterTopicWithAReason() {
    assertThat(defaults.route("websocket_event", bytes("{\"event_type\":\"typing\"}")))
        .isEqualTo(
            new RouteDecision.DeadLetter(
                "chat.websocket_events",
                "chat.websocket_events.dlq",
                "key: payload has no field channel_id; payload has no field user_id"));
    assertThat(defaults.route("websocket_event", bytes("{\"channel_id\":null,\"user_id\":null}")))
        .isEqualTo(
            new RouteDecision.DeadLetter(
                "chat.websocket_events",
                "chat.websocket_events.dlq",
                "key: payload field channel_id is null; payload field user_id is null"));
    assertThat(defaults.route("orders", bytes("{}")))
        .isEqualTo(new RouteDecision.Deliver("orders", "orders"));
    assertThat(
            new TopicRouter(TopicRouter.parseRoutes("orders=orders|{$.id}"))
                .route("orders", bytes("{\"id\":{\"a\":1}}")))
        .isEqualTo(
            new RouteDecision.DeadLetter(
                "orders", "orders.dlq", "key: payload field id is not a scalar"));
    assertThat(defaults.route("db_notifications", bytes("{oops")))
        .isEqualTo(
            new RouteDecision.DeadLetter(
                "db_notifications",
                "db_notifications.dlq",
                "key: payload is not valid JSON, so {$.schema} cannot be read"));
  }

  @Test
  void channelsThatAreNotLegalTopicNamesGoToTheSharedDeadLetterTopic() {
    RouteDecision decision = defaults.route("weird name", bytes("x"));
    assertThat(decision).isInstanceOf(RouteDecision.DeadLetter.class);
    RouteDecision.DeadLetter dead = (RouteDecision.DeadLetter) decision;
    assertThat(dead.deadLetterTopic()).isEqualTo(TopicRouter.INVALID_TOPIC_DLQ);
    assertThat(dead.reason()).contains("\"weird name\"").contains("not a legal Kafka topic name");
  }

  @Test
  void userRoutesComeFirstAndReadNestedFields() {
    TopicRouter router =
        new TopicRouter(
            TopicRouter.parseRoutes(
                "orders_*=shop.{*}|{$.customer.id} ; db_notifications=audit|{channel}"));
    assertThat(router.route("orders_eu", bytes("{\"customer\":{\"id\":\"c-1\"}}")))
        .isEqualTo(new RouteDecision.Deliver("shop.eu", "c-1"));
    assertThat(router.route("db_notifications", bytes("{}")))
        .isEqualTo(new RouteDecision.Deliver("audit", "db_notifications"));
    assertThat(router.route("chat_message_1", bytes("{}")))
        .isEqualTo(new RouteDecision.Deliver("chat.messages", "1"));
  }

  @Test
  void templatesRejectUnknownPlaceholders() {
    assertThatThrownBy(() -> KeyTemplate.parse("{payload}"))
        .hasMessage(
            "template placeholders are {channel}, {*} and {$.field} (was {payload} in {payload})");
    assertThatThrownBy(() -> KeyTemplate.parse("")).hasMessage("template must not be empty");
    assertThatThrownBy(() -> KeyTemplate.parse("{$.a..b}"))
        .hasMessageContaining("empty JSON field");
  }
}
