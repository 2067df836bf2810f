package dev.zgres.runtime.kafka;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * What a failed Kafka send means, decided in one place: retry it, dead-letter a cut-down copy
 * because the record is larger than Kafka accepts, or dead-letter it because Kafka refused it for
 * good.
 */
public sealed interface SendFailure {
  /** The failure as a log line or a dead letter's reason shows it. */
  String reason();

  /** Kafka is unreachable or busy (timeouts, no leader, ...): the same send may succeed later. */
  record Retriable(String reason) implements SendFailure {}

  /** The record is larger than the broker or topic accepts: it never will be accepted. */
  record TooLarge(String reason) implements SendFailure {}

  /** Anything else Kafka refused (authorisation, invalid topic, ...): permanent for this record. */
  record Permanent(String reason) implements SendFailure {}

  /** Classifies what a send's callback (or {@code send} itself) reported. */
  static SendFailure classify(Throwable error) {
    String reason = describe(error);
    if (error instanceof RecordTooLargeException) {
      return new TooLarge(reason);
    }
    if (error instanceof RetriableException) {
      return new Retriable(reason);
    }
    return new Permanent(reason);
  }

  /** {@code SimpleName: message}, for logs and reason headers. */
  static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
