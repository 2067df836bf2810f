package dev.zgres.consumers.consume;

import dev.zgres.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record through its handler: drops it if its event id was already handled, retries
 * transient failures with backoff up to the policy's bound (each attempt counted and logged with
 * the record's id), and dead-letters it when the handler says so or the attempts run out.
 */
public final class RecordProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

  /** What became of a record. */
  public enum Result {
    HANDLED,
    DUPLICATE,
    DEAD_LETTERED,
    /** Shutdown came while the record waited to be retried: not handled, not to be committed. */
    ABANDONED
  }

  private final RecordHandler handler;
  private final RetryPolicy retry;
  private final DuplicateFilter duplicates;
  private final DeadLetterSink deadLetters;
  private final ConsumerMeters meters;
  private final BooleanSupplier stopping;

  public RecordProcessor(
      RecordHandler handler,
      RetryPolicy retry,
      DuplicateFilter duplicates,
      DeadLetterSink deadLetters,
      ConsumerMeters meters,
      BooleanSupplier stopping) {
    this.handler = handler;
    this.retry = retry;
    this.duplicates = duplicates;
    this.deadLetters = deadLetters;
    this.meters = meters;
    this.stopping = stopping;
  }

  /**
   * @throws Exception only when a dead letter could not be written: the record stays uncommitted
   */
  public Result process(ConsumerRecord<byte[], byte[]> record) throws Exception {
    String eventId = eventId(record);
    if (duplicates.seen(eventId)) {
      meters.duplicate();
      LOG.debug("dropping {} at {}: already handled", eventId, position(record));
      return Result.DUPLICATE;
    }
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Outcome outcome;
      try {
        outcome = handler.handle(record);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Result.ABANDONED;
      } catch (Exception | LinkageError e) {
        outcome = FailureClassifier.classify(e);
      }
      switch (outcome) {
        case Outcome.Done done -> {
          duplicates.handled(eventId);
          meters.handled(record.topic(), System.nanoTime() - started);
          return Result.HANDLED;
        }
        case Outcome.DeadLetter dead -> {
          meters.failed(record.topic());
          return deadLetter(record, eventId, dead.reason(), attempt);
        }
        case Outcome.RetryLater later -> {
          meters.failed(record.topic());
          if (!retry.retryAfter(attempt)) {
            return deadLetter(
                record,
                eventId,
                later.reason() + " (gave up after " + attempt + " attempts)",
                attempt);
          }
          LOG.warn(
              "record {} at {} failed (attempt {} of {}), retrying: {}",
              eventId,
              position(record),
              attempt,
              retry.maxAttempts(),
              later.reason());
          if (!sleep(retry.backoffAfter(attempt).toMillis())) {
            return Result.ABANDONED;
          }
          meters.retried(record.topic());
        }
      }
    }
  }

  private Result deadLetter(
      ConsumerRecord<byte[], byte[]> record, String eventId, String reason, int attempts)
      throws Exception {
    deadLetters.send(record, reason, attempts);
    duplicates.handled(eventId);
    meters.deadLettered(record.topic());
    LOG.warn(
        "record {} at {} sent to {}{}: {}",
        eventId,
        position(record),
        record.topic(),
        EventHeaders.DLQ_SUFFIX,
        reason);
    return Result.DEAD_LETTERED;
  }

  /** Sleeps in short steps so that a shutdown is not held up; false when stopping. */
  private boolean sleep(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (stopping.getAsBoolean()) {
        return false;
      }
      try {
        Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopping.getAsBoolean();
  }

  static String eventId(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(EventHeaders.EVENT_ID);
    if (header == null) {
      return null;
    }
    String id = new String(header.value(), StandardCharsets.UTF_8);
    // A replayed record (a re-driven dead letter) is meant to be handled again, so it is not a
    // duplicate of its first delivery; two copies of the same replay still are.
    Header replayed = record.headers().lastHeader(EventHeaders.REPLAYED_FROM);
    return replayed == null
        ? id
        : id + " replayed from " + new String(replayed.value(), StandardCharsets.UTF_8);
  }

  static String position(ConsumerRecord<byte[], byte[]> record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
  }
}
