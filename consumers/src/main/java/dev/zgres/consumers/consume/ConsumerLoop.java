package dev.zgres.consumers.consume;

import dev.zgres.runtime.kafka.DeadLetters;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.runtime.lifecycle.OwnedThread;
import dev.zgres.runtime.operations.HealthReport;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka consumer loop of every zgres consumer process, written once, after the loop in the
 * {@link KafkaConsumer} javadoc: one thread it owns polls, hands each record to a {@link
 * RecordHandler} through a {@link RecordProcessor} (duplicates, retries, dead letters), and
 * commits.
 *
 * <p>Delivery is at-least-once: a record's offset is committed only after it was handled or
 * dead-lettered, after each batch and when partitions are revoked. {@link #close()} sets a flag and
 * wakes the consumer; the loop finishes its batch (without waiting out retries), commits and
 * closes, within the shutdown timeout.
 */
public final class ConsumerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STALLED_AFTER = Duration.ofMinutes(5);

  private final LoopConfig config;
  private final ConsumerMeters meters;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetterProducer;
  private final RecordProcessor processor;
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final OwnedThread thread;
  private volatile long lastPollNanos = System.nanoTime();
  private volatile boolean running;
  private volatile boolean started;
  private volatile Set<TopicPartition> assigned = Set.of();

  /**
   * @param name names the thread and the Kafka clients, e.g. {@code ai-worker}
   */
  public ConsumerLoop(
      String name,
      LoopConfig config,
      RecordHandler handler,
      ConsumerMeters meters,
      Map<String, String> producerProperties) {
    this.config = config;
    this.meters = meters;
    this.deadLetterProducer =
        new KafkaProducer<>(
            ProducerContract.settings(
                config.bootstrap(), "zgres-" + name + "-dlq", producerProperties));
    try {
      this.consumer = new KafkaConsumer<>(consumerSettings(config, name));
    } catch (RuntimeException e) {
      deadLetterProducer.close(Duration.ZERO);
      throw e;
    }
    this.processor =
        new RecordProcessor(
            handler,
            config.retry(),
            new DuplicateFilter(config.dedupWindow()),
            this::sendDeadLetter,
            meters,
            stopping::get);
    meters.bindPolling(this::polling);
    if (config.topicPattern() == null) {
      meters.registerTopics(config.topics());
    }
    this.thread = new OwnedThread("zgres-" + name + "-consumer", this::run);
  }

  static Map<String, Object> consumerSettings(LoopConfig config, String name) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "zgres-" + name);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
    props.putAll(config.consumerProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  /** Starts polling on the loop's own thread. */
  public ConsumerLoop start() {
    started = true;
    running = true;
    thread.start();
    return this;
  }

  /** Whether the loop is running and has polled recently (a handler may hold it for a while). */
  public boolean polling() {
    return running && thread.alive() && System.nanoTime() - lastPollNanos < STALLED_AFTER.toNanos();
  }

  /** The partitions this instance reads now (the group decides). */
  public Set<TopicPartition> assignedPartitions() {
    return assigned;
  }

  /** What {@code /health} says of the loop. */
  public HealthReport health() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("group", config.group());
    details.put("topics", config.topics());
    details.put("polling", polling());
    details.put("partitions", assigned.size());
    details.put(
        "lastPollSecondsAgo", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastPollNanos));
    return new HealthReport(polling(), details);
  }

  private void run() {
    try {
      if (config.topicPattern() != null) {
        consumer.subscribe(config.topicPattern(), new CommitOnRevoke());
      } else {
        consumer.subscribe(config.topics(), new CommitOnRevoke());
      }
      while (!stopping.get()) {
        try {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
          lastPollNanos = System.nanoTime();
          handleBatch(records);
          commit();
          recordLag();
        } catch (WakeupException e) {
          if (!stopping.get()) {
            throw e;
          }
        } catch (RuntimeException e) {
          meters.loopError("consumer-" + config.group());
          LOG.error("consumer loop of group {}: error, carrying on", config.group(), e);
          rewindToCommitted();
        }
      }
    } catch (RuntimeException e) {
      meters.loopError("consumer-" + config.group());
      LOG.error("consumer loop of group {} stopped by an error", config.group(), e);
    } finally {
      running = false;
      try {
        commit();
      } catch (RuntimeException e) {
        LOG.warn("final commit of group {} failed; records since are read again", config.group());
      }
      consumer.close(config.shutdownTimeout());
    }
  }

  private void handleBatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        RecordProcessor.Result result;
        try {
          result = processor.process(record);
        } catch (Exception e) {
          LOG.error(
              "dead letter for {} failed; will read it again: {}",
              RecordProcessor.position(record),
              FailureClassifier.describe(e));
          meters.loopError("dead-letter");
          result = RecordProcessor.Result.ABANDONED;
        }
        if (result == RecordProcessor.Result.ABANDONED) {
          consumer.seek(partition, record.offset());
          break;
        }
        uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
    }
  }

  private void sendDeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, int attempts)
      throws Exception {
    deadLetterProducer
        .send(
            DeadLetters.afterAttempts(
                record.topic(), record.key(), record.value(), record.headers(), reason, attempts))
        .get(30, TimeUnit.SECONDS);
  }

  private void commit() {
    if (!uncommitted.isEmpty()) {
      consumer.commitSync(Map.copyOf(uncommitted));
      uncommitted.clear();
    }
  }

  private void rewindToCommitted() {
    uncommitted.clear();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      committed.forEach(
          (partition, offset) -> {
            if (offset != null) {
              consumer.seek(partition, offset.offset());
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("could not rewind group {} to its committed offsets", config.group(), e);
    }
  }

  private void recordLag() {
    for (TopicPartition partition : consumer.assignment()) {
      consumer.currentLag(partition).ifPresent(lag -> meters.lag(partition, lag));
    }
  }

  /** Commits what was handled in partitions this consumer is about to lose. */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (TopicPartition p : partitions) {
        OffsetAndMetadata offset = uncommitted.remove(p);
        if (offset != null) {
          revoked.put(p, offset);
        }
      }
      if (!revoked.isEmpty()) {
        consumer.commitSync(revoked);
      }
      Set<TopicPartition> left = new HashSet<>(assigned);
      left.removeAll(partitions);
      assigned = Set.copyOf(left);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(uncommitted::remove);
      Set<TopicPartition> left = new HashSet<>(assigned);
      left.removeAll(partitions);
      assigned = Set.copyOf(left);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Set<TopicPartition> now = new HashSet<>(assigned);
      now.addAll(partitions);
      assigned = Set.copyOf(now);
      LOG.info("group {}: assigned {}", config.group(), List.copyOf(partitions));
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    stopping.set(true);
    consumer.wakeup();
    if (started) {
      thread.stop(config.shutdownTimeout().plusSeconds(2), Duration.ofSeconds(2));
    } else {
      consumer.close(Duration.ZERO);
    }
    deadLetterProducer.close(config.shutdownTimeout());
  }
}
