package dev.zgres.consumers.consume;

/** What became of a record, as its {@link RecordHandler} says. */
public sealed interface Outcome {
  /** Handled (or deliberately ignored): its offset may be committed. */
  record Done() implements Outcome {}

  /** Not handled this time, for a reason that may pass: try again after a backoff. */
  record RetryLater(String reason) implements Outcome {}

  /** Never handleable (malformed, refused for good): send it to the dead-letter topic. */
  record DeadLetter(String reason) implements Outcome {}

  Outcome DONE = new Done();

  static Outcome retryLater(String reason) {
    return new RetryLater(reason);
  }

  static Outcome deadLetter(String reason) {
    return new DeadLetter(reason);
  }
}
