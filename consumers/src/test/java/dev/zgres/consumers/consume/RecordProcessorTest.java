package dev.zgres.consumers.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.events.EventHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RecordProcessorTest {
  private record Letter(long offset, String reason, int attempts) {}

  private final List<Letter> letters = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConsumerMeters meters = new ConsumerMeters(registry, "g");

  private RecordProcessor processor(RecordHandler handler, int maxAttempts) {
    return new RecordProcessor(
        handler,
        new RetryPolicy(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(2)),
        new DuplicateFilter(100),
        (record, reason, attempts) -> letters.add(new Letter(record.offset(), reason, attempts)),
        meters,
        () -> false);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String eventId) {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>("t", 0, offset, "k".getBytes(), "v".getBytes());
    if (eventId != null) {
      r.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
    }
    return r;
  }

  private double count(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void handlesARecordOnceAndDropsItsRedelivery() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordProcessor p =
        processor(
            r -> {
              calls.incrementAndGet();
              return Outcome.DONE;
            },
            3);
    assertThat(p.process(record(1, "w-1"))).isEqualTo(RecordProcessor.Result.HANDLED);
    assertThat(p.process(record(2, "w-1"))).isEqualTo(RecordProcessor.Result.DUPLICATE);
    assertThat(calls).hasValue(1);
    assertThat(count(ConsumerMeters.DUPLICATES)).isEqualTo(1);
  }

  @Test
  void aReDrivenDeadLetterIsHandledAgainButNotTwice() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordProcessor p =
        processor(
            r -> {
              calls.incrementAndGet();
              return Outcome.DONE;
            },
            3);
    p.process(record(1, "w-1"));
    ConsumerRecord<byte[], byte[]> redriven = record(7, "w-1");
    redriven
        .headers()
        .add(EventHeaders.REPLAYED_FROM, "t.dlq/0/3".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> again = record(8, "w-1");
    again.headers().add(EventHeaders.REPLAYED_FROM, "t.dlq/0/3".getBytes(StandardCharsets.UTF_8));
    assertThat(p.process(redriven)).isEqualTo(RecordProcessor.Result.HANDLED);
    assertThat(p.process(again)).isEqualTo(RecordProcessor.Result.DUPLICATE);
    assertThat(calls).hasValue(2);
  }

  @Test
  void recordsWithoutAnEventIdAreNeverTakenForDuplicates() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordProcessor p =
        processor(
            r -> {
              calls.incrementAndGet();
              return Outcome.DONE;
            },
            3);
    p.process(record(1, null));
    p.process(record(2, null));
    assertThat(calls).hasValue(2);
  }

  @Test
  void transientFailuresAreRetriedThenSucceed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordProcessor p =
        processor(
            r -> {
              if (calls.incrementAndGet() < 3) {
                throw new SQLTransientConnectionException("connection refused", "08001");
              }
              return Outcome.DONE;
            },
            5);
    assertThat(p.process(record(7, "e"))).isEqualTo(RecordProcessor.Result.HANDLED);
    assertThat(calls).hasValue(3);
    assertThat(letters).isEmpty();
    assertThat(count(ConsumerMeters.RETRIED)).isEqualTo(2);
    assertThat(count(ConsumerMeters.FAILED)).isEqualTo(2);
  }

  @Test
  void retriesAreBoundedThenTheRecordIsDeadLetteredWithItsAttemptCount() throws Exception {
    RecordProcessor p =
        processor(
            r -> {
              throw new TimeoutException("broker away");
            },
            3);
    assertThat(p.process(record(9, "e"))).isEqualTo(RecordProcessor.Result.DEAD_LETTERED);
    assertThat(letters).hasSize(1);
    assertThat(letters.getFirst().attempts()).isEqualTo(3);
    assertThat(letters.getFirst().reason())
        .contains("TimeoutException: broker away")
        .contains("gave up after 3 attempts");
  }

  @Test
  void aPermanentErrorDeadLettersAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordProcessor p =
        processor(
            r -> {
              calls.incrementAndGet();
              throw new SQLException("value too long", "22001");
            },
            5);
    assertThat(p.process(record(3, "e"))).isEqualTo(RecordProcessor.Result.DEAD_LETTERED);
    assertThat(calls).hasValue(1);
    assertThat(letters.getFirst().reason()).isEqualTo("SQLException: value too long");
  }

  @Test
  void aHandlerCanDeadLetterARecordItself() throws Exception {
    RecordProcessor p = processor(r -> Outcome.deadLetter("not JSON"), 5);
    assertThat(p.process(record(4, "e"))).isEqualTo(RecordProcessor.Result.DEAD_LETTERED);
    assertThat(letters).containsExactly(new Letter(4, "not JSON", 1));
    assertThat(count(ConsumerMeters.DEAD_LETTERED)).isEqualTo(1);
  }

  @Test
  void shutdownDuringARetryWaitAbandonsTheRecordUncommitted() throws Exception {
    RecordProcessor p =
        new RecordProcessor(
            r -> Outcome.retryLater("db down"),
            new RetryPolicy(10, Duration.ofSeconds(30), Duration.ofSeconds(30)),
            new DuplicateFilter(10),
            (record, reason, attempts) ->
                letters.add(new Letter(record.offset(), reason, attempts)),
            meters,
            () -> true);
    assertThat(p.process(record(5, "e"))).isEqualTo(RecordProcessor.Result.ABANDONED);
    assertThat(letters).isEmpty();
  }
}
