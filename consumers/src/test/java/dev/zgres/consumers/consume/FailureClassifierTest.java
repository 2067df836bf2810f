package dev.zgres.consumers.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  @Test
  void lostConnectionsAndServerShutdownsAreRetried() {
    assertThat(FailureClassifier.classify(new SQLException("gone", "08006")))
        .isInstanceOf(Outcome.RetryLater.class);
    assertThat(FailureClassifier.classify(new SQLException("admin shutdown", "57P01")))
        .isInstanceOf(Outcome.RetryLater.class);
    assertThat(FailureClassifier.classify(new SQLException("io", null, new IOException("reset"))))
        .isInstanceOf(Outcome.RetryLater.class);
  }

  @Test
  void serializationFailuresAndDeadlocksAreRetried() {
    assertThat(FailureClassifier.classify(new SQLException("could not serialize", "40001")))
        .isInstanceOf(Outcome.RetryLater.class);
    assertThat(FailureClassifier.classify(new SQLException("deadlock", "40P01")))
        .isInstanceOf(Outcome.RetryLater.class);
  }

  @Test
  void retriableKafkaErrorsAreRetriedEvenWhenWrapped() {
    assertThat(
            FailureClassifier.classify(
                new IllegalStateException("send failed", new NotLeaderOrFollowerException("x"))))
        .isInstanceOf(Outcome.RetryLater.class);
  }

  @Test
  void everythingElseDeadLettersWithTheReasonNamed() {
    assertThat(FailureClassifier.classify(new SQLException("bad input", "22P02")))
        .isEqualTo(new Outcome.DeadLetter("SQLException: bad input"));
    assertThat(FailureClassifier.classify(new RecordTooLargeException("big")))
        .isEqualTo(new Outcome.DeadLetter("RecordTooLargeException: big"));
    assertThat(FailureClassifier.classify(new IllegalArgumentException()))
        .isEqualTo(new Outcome.DeadLetter("IllegalArgumentException"));
  }
}
