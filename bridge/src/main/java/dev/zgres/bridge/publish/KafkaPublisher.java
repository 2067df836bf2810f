package dev.zgres.bridge.publish;

import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.route.RouteDecision;
import dev.zgres.bridge.route.TopicRouter;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.SendFailure;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes events from the backlog, routes them and produces them with an idempotent producer, on one
 * thread that it owns. Anything Kafka refuses for good sends the event to its dead-letter topic
 * with the reason.
 *
 * <p>A retriable failure (Kafka unreachable: metadata or delivery timeout, no leader, ...) is
 * retried before anything new is taken from the backlog, with a backoff of up to a second, so order
 * holds, the backlog fills and the source is paused: back-pressure rather than loss. These retries
 * have no per-record bound, because giving up would drop an event that Kafka will accept once it is
 * back; they are counted, and logged when an outage starts, every 20th attempt, and when Kafka
 * accepts records again. Only a shutdown whose drain timeout has passed gives up, logging each
 * event id it leaves behind.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final int LOG_EVERY_ATTEMPTS = 20;

  private record Pending(
      Event event, ProducerRecord<byte[], byte[]> record, String topic, int attempt) {}

  private final EventBacklog backlog;
  private final TopicRouter router;
  private final RecordFactory records;
  private final BridgeMeters meters;
  private final Producer<byte[], byte[]> producer;
  private final KafkaClientMetrics clientMetrics;
  private final Queue<Pending> retries = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration drainTimeout;
  private final Thread thread;
  private volatile long drainDeadline = Long.MAX_VALUE;
  private volatile boolean stalled;
  private final AtomicInteger retriesInFlight = new AtomicInteger();

  public KafkaPublisher(
      Map<String, Object> producerConfig,
      EventBacklog backlog,
      TopicRouter router,
      BridgeMeters meters,
      Duration drainTimeout,
      String sourceName) {
    this.backlog = backlog;
    this.router = router;
    this.records = new RecordFactory(sourceName);
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
          Thread.sleep(Math.min(1_000L, 25L << Math.min(retry.attempt(), 6)));
          send(retry);
          continue;
        }
        if (stalled && retriesInFlight.get() > 0) {
          Thread.sleep(5); // nothing new overtakes a retried record while Kafka is failing
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
        if (!running.get() && System.nanoTime() > drainDeadline) {
          break; // the producer was closed under a send that outlived the drain timeout
        }
        LOG.error("publisher loop error, carrying on", e);
        meters.loopError("publisher");
      }
    }
    for (Pending left = retries.poll(); left != null; left = retries.poll()) {
      meters.abandoned(left.topic());
      LOG.error(
          "event {} for {} lost: Kafka still refused it when the shutdown timeout ran out",
          left.event().eventId(),
          left.topic());
    }
    if (backlog.size() > 0) {
      LOG.error(
          "stopped with {} events unpublished in the backlog (shutdown timeout ran out)",
          backlog.size());
    }
  }

  private void publish(Event event) {
    RouteDecision decision = router.route(event.channel(), event.payload());
    switch (decision) {
      case RouteDecision.Deliver deliver ->
          send(
              new Pending(
                  event,
                  records.record(event, deliver.topic(), deliver.key()),
                  deliver.topic(),
                  1));
      case RouteDecision.DeadLetter dead ->
          send(
              deadLetterPending(event, dead.deadLetterTopic(), dead.topic(), dead.reason(), false));
    }
  }

  private void send(Pending pending) {
    boolean retry = pending.attempt() > 1;
    if (retry) {
      retriesInFlight.incrementAndGet();
    }
    try {
      producer.send(
          pending.record(),
          (metadata, error) -> {
            if (retry) {
              retriesInFlight.decrementAndGet();
            }
            completed(pending, error);
          });
    } catch (KafkaException e) {
      // Kafka hands API errors (too large, timeouts) to the callback; what it throws never gets
      // there, so it is classified the same way here.
      if (retry) {
        retriesInFlight.decrementAndGet();
      }
      completed(pending, e);
    }
  }

  private void completed(Pending pending, Exception error) {
    Event event = pending.event();
    if (error == null) {
      if (stalled) {
        stalled = false;
        LOG.info(
            "Kafka accepts records again (event {} for {} after {} attempts)",
            event.eventId(),
            pending.topic(),
            pending.attempt());
      }
      meters.published(pending.topic(), System.nanoTime() - event.receivedAtNanos());
      if (event.onAck() != null) {
        event.onAck().run();
      }
    } else {
      switch (SendFailure.classify(error)) {
        case SendFailure.TooLarge tooLarge -> tooLarge(pending, tooLarge.reason());
        case SendFailure.Retriable retriable -> retryLater(pending, retriable.reason());
        case SendFailure.Permanent permanent -> refused(pending, permanent.reason());
      }
    }
  }

  private void refused(Pending pending, String reason) {
    Event event = pending.event();
    meters.failed(pending.topic());
    LOG.warn(
        "event {} refused by Kafka for topic {}: {}", event.eventId(), pending.topic(), reason);
    if (pending.topic().endsWith(EventHeaders.DLQ_SUFFIX)
        || pending.topic().equals(TopicRouter.INVALID_TOPIC_DLQ)) {
      LOG.error(
          "event {} lost: its dead letter to {} failed: {}",
          event.eventId(),
          pending.topic(),
          reason);
      return;
    }
    retries.add(
        deadLetterPending(
            event, pending.topic() + EventHeaders.DLQ_SUFFIX, pending.topic(), reason, false));
  }

  private void tooLarge(Pending pending, String kafkaReason) {
    meters.failed(pending.topic());
    String reason =
        "payload of "
            + pending.event().payload().length
            + " bytes is larger than Kafka accepts: "
            + kafkaReason;
    LOG.warn("event {} on {}: {}", pending.event().eventId(), pending.event().channel(), reason);
    retries.add(
        deadLetterPending(
            pending.event(),
            pending.topic() + EventHeaders.DLQ_SUFFIX,
            pending.topic(),
            reason,
            true));
  }

  private void retryLater(Pending pending, String reason) {
    meters.retried();
    if (!stalled) {
      stalled = true;
      LOG.warn(
          "Kafka does not accept records ({}): holding event {} for {} and retrying until it does",
          reason,
          pending.event().eventId(),
          pending.topic());
    } else if (pending.attempt() % LOG_EVERY_ATTEMPTS == 0) {
      LOG.warn(
          "event {} for {}: still retrying after {} attempts ({})",
          pending.event().eventId(),
          pending.topic(),
          pending.attempt(),
          reason);
    }
    retries.add(
        new Pending(pending.event(), pending.record(), pending.topic(), pending.attempt() + 1));
  }

  private Pending deadLetterPending(
      Event event, String dlqTopic, String originalTopic, String reason, boolean truncate) {
    meters.deadLettered(originalTopic);
    return new Pending(
        event, records.deadLetter(event, dlqTopic, originalTopic, reason, truncate), dlqTopic, 1);
  }

  /**
   * Stops taking events once the backlog is drained (or the drain timeout passes), flushes, closes.
   */
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
