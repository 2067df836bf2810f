package dev.zgres.bridge.publish;

import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.route.RouteDecision;
import dev.zgres.bridge.route.TopicRouter;
import dev.zgres.events.EventHeaders;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes events from the backlog, routes them and produces them with an idempotent producer. A
 * retriable failure is retried (bounded, counted, logged with the event id); anything else sends
 * the event to its dead-letter topic with the reason. Runs on one thread that it owns.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  static final int MAX_ATTEMPTS = 10;

  private record Pending(Event event, ProducerRecord<byte[], byte[]> record, String topic, int attempt) {}

  private final EventBacklog backlog;
  private final TopicRouter router;
  private final BridgeMeters meters;
  private final Producer<byte[], byte[]> producer;
  private final KafkaClientMetrics clientMetrics;
  private final Queue<Pending> retries = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration drainTimeout;
  private final Thread thread;
  private volatile long drainDeadline = Long.MAX_VALUE;
  private boolean stalled;

  public KafkaPublisher(
      Map<String, Object> producerConfig,
      EventBacklog backlog,
      TopicRouter router,
      BridgeMeters meters,
      Duration drainTimeout) {
    this.backlog = backlog;
    this.router = router;
    this.meters = meters;
    this.drainTimeout = drainTimeout;
    this.producer = new KafkaProducer<>(producerConfig);
    this.clientMetrics = new KafkaClientMetrics(producer);
    clientMetrics.bindTo(meters.registry());
    this.thread = new Thread(this::run, "zgres-publisher");
    thread.start();
  }

  private void run() {
    while (true) {
      if (!running.get()) {
        if ((backlog.size() == 0 && retries.isEmpty()) || System.nanoTime() > drainDeadline) {
          break;
        }
      }
      try {
        Pending retry = retries.poll();
        if (retry != null) {
          send(retry);
          continue;
        }
        Event event = backlog.poll(50);
        if (event != null) {
          publish(event);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("publisher loop error, carrying on", e);
        meters.loopError("publisher");
      }
    }
    if (backlog.size() > 0 || !retries.isEmpty()) {
      LOG.error("stopped with {} events unpublished in the backlog and {} awaiting retry", backlog.size(), retries.size());
    }
  }

  private void publish(Event event) throws InterruptedException {
    RouteDecision decision = router.route(event.channel(), event.payload());
    switch (decision) {
      case RouteDecision.Deliver deliver ->
          send(new Pending(event, RecordFactory.record(event, deliver.topic(), deliver.key()), deliver.topic(), 1));
      case RouteDecision.DeadLetter dead ->
          deadLetter(event, dead.deadLetterTopic(), dead.topic(), dead.reason(), false);
    }
  }

  /**
   * Hands a record to the producer. While Kafka is unreachable the producer's own wait ends in a
   * retriable error: the publisher keeps retrying the same record (so order holds), the backlog
   * fills and the source is paused. That is back-pressure, not failure, so these retries are not
   * bounded per record; they are counted, and logged when the outage starts and ends. Only a
   * shutdown whose drain timeout has passed gives up, logging the event id.
   */
  private void send(Pending pending) throws InterruptedException {
    long waitMillis = 50;
    while (true) {
      try {
        producer.send(pending.record(), (metadata, error) -> completed(pending, error));
        if (stalled) {
          stalled = false;
          LOG.info("Kafka accepts records again");
        }
        return;
      } catch (RecordTooLargeException e) {
        tooLarge(pending, e);
        return;
      } catch (RetriableException e) {
        meters.retried();
        if (!stalled) {
          stalled = true;
          LOG.warn("Kafka does not accept records ({}): holding event {} and retrying", describe(e), pending.event().eventId());
        }
        if (!running.get() && System.nanoTime() > drainDeadline) {
          LOG.error("event {} for {} lost: Kafka still unreachable when the shutdown timeout ran out",
              pending.event().eventId(), pending.topic());
          meters.failed(pending.topic());
          return;
        }
        Thread.sleep(waitMillis);
        waitMillis = Math.min(1_000, waitMillis * 2);
      } catch (KafkaException e) {
        meters.failed(pending.topic());
        deadLetter(pending.event(), pending.topic() + EventHeaders.DLQ_SUFFIX, pending.topic(), describe(e), false);
        return;
      }
    }
  }

  private void completed(Pending pending, Exception error) {
    Event event = pending.event();
    if (error == null) {
      meters.published(pending.topic(), System.nanoTime() - event.receivedAtNanos());
      if (event.onAck() != null) {
        event.onAck().run();
      }
    } else if (error instanceof RecordTooLargeException tooLarge) {
      tooLarge(pending, tooLarge);
    } else if (error instanceof RetriableException) {
      retryLater(pending, error);
    } else {
      meters.failed(pending.topic());
      LOG.warn("event {} refused by Kafka for topic {}: {}", event.eventId(), pending.topic(), describe(error));
      if (pending.topic().endsWith(EventHeaders.DLQ_SUFFIX) || pending.topic().equals(TopicRouter.INVALID_TOPIC_DLQ)) {
        LOG.error("event {} lost: its dead letter to {} failed: {}", event.eventId(), pending.topic(), describe(error));
        return;
      }
      retries.add(deadLetterPending(event, pending.topic() + EventHeaders.DLQ_SUFFIX, pending.topic(), describe(error), false));
    }
  }

  private void tooLarge(Pending pending, RecordTooLargeException e) {
    meters.failed(pending.topic());
    String reason = "payload of " + pending.event().payload().length + " bytes is larger than Kafka accepts: " + describe(e);
    LOG.warn("event {} on {}: {}", pending.event().eventId(), pending.event().channel(), reason);
    retries.add(deadLetterPending(pending.event(), pending.topic() + EventHeaders.DLQ_SUFFIX, pending.topic(), reason, true));
  }

  private void retryLater(Pending pending, Exception error) {
    if (pending.attempt() >= MAX_ATTEMPTS) {
      meters.failed(pending.topic());
      LOG.error("event {} for {} failed after {} attempts, giving up: {}", pending.event().eventId(), pending.topic(), pending.attempt(), describe(error));
      return;
    }
    meters.retried();
    LOG.warn("event {} for {}: attempt {} failed ({}), retrying", pending.event().eventId(), pending.topic(), pending.attempt(), describe(error));
    retries.add(new Pending(pending.event(), pending.record(), pending.topic(), pending.attempt() + 1));
  }

  private void deadLetter(Event event, String dlqTopic, String originalTopic, String reason, boolean truncate)
      throws InterruptedException {
    send(deadLetterPending(event, dlqTopic, originalTopic, reason, truncate));
  }

  private Pending deadLetterPending(Event event, String dlqTopic, String originalTopic, String reason, boolean truncate) {
    meters.deadLettered(originalTopic);
    return new Pending(event, RecordFactory.deadLetter(event, dlqTopic, originalTopic, reason, truncate), dlqTopic, 1);
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Stops taking events once the backlog is drained (or the drain timeout passes), flushes, closes. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    drainDeadline = System.nanoTime() + drainTimeout.toNanos();
    running.set(false);
    try {
      thread.join(drainTimeout.toMillis() + 2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(drainTimeout);
    clientMetrics.close();
  }
}
