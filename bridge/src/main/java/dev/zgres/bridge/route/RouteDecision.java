package dev.zgres.bridge.route;

/** What the router decided for one event. */
public sealed interface RouteDecision {
  /** The topic the record was meant for (the dead-letter topic's origin). */
  String topic();

  /** Publish to {@code topic} with {@code key}. */
  record Deliver(String topic, String key) implements RouteDecision {}

  /** Publish to {@code deadLetterTopic}, with {@code reason} in a header. */
  record DeadLetter(String topic, String deadLetterTopic, String reason) implements RouteDecision {}
}
