package dev.zgres.consumers.replay;

import dev.zgres.runtime.settings.ConfigException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One replay: checks the topic, takes the end offsets of its partitions (the snapshot it stops at),
 * resolves the window with {@link ReplayPositions}, reads each partition from its first to its last
 * offset in order, and hands the records (only those of the key, when one is given) to a {@link
 * ReplaySink}. A key picks its partition the way the producer's default partitioner does (murmur2
 * of the key bytes), so only that partition is read.
 *
 * <p>Not thread-safe; {@link #stop()} may be called from another thread (a signal) and ends the
 * replay after the record in hand.
 */
public final class Replay {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  private final ReplayConfig config;
  private final PrintStream err;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * What a replay did, for the summary line and the exit status; {@code stopped} when a signal or a
   * closed output ended it early.
   */
  public record Summary(long read, long written, long failed, Duration took, boolean stopped) {
    public double perSecond() {
      return read / Math.max(0.001, took.toNanos() / 1e9);
    }
  }

  public Replay(ReplayConfig config, PrintStream err) {
    this.config = config;
    this.err = err;
  }

  /** Ends the replay early (its summary says so). */
  public void stop() {
    stopping.set(true);
  }

  /**
   * The partitions of the request's topic: those holding its key, or all.
   *
   * @throws ConfigException when the topic does not exist
   */
  List<TopicPartition> partitions() {
    ReplayRequest request = config.request();
    int count = partitionCount(request.topic());
    List<TopicPartition> partitions = new ArrayList<>();
    if (request.key() != null) {
      byte[] key = request.key().getBytes(StandardCharsets.UTF_8);
      partitions.add(
          new TopicPartition(request.topic(), BuiltInPartitioner.partitionForKey(key, count)));
    } else {
      for (int p = 0; p < count; p++) {
        partitions.add(new TopicPartition(request.topic(), p));
      }
    }
    return partitions;
  }

  /** Runs the replay into {@code sink}; the topic is checked before anything is read. */
  public Summary run(ReplaySink sink) {
    List<TopicPartition> partitions = partitions();
    ReplayRequest request = config.request();
    long started = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings())) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, Long> beginnings =
          consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
      Map<Integer, PartitionRange> ranges =
          ReplayPositions.resolve(
              request.since(),
              request.until(),
              byPartition(beginnings),
              byPartition(ends),
              time -> lookup(consumer, partitions, time));
      Map<TopicPartition, PartitionRange> open = new HashMap<>();
      for (PartitionRange range : ranges.values()) {
        if (!range.isEmpty()) {
          open.put(new TopicPartition(request.topic(), range.partition()), range);
        }
      }
      long total = open.values().stream().mapToLong(PartitionRange::size).sum();
      err.printf(
          "replay: %s, %s to %s: %d record(s) to read in %d partition(s)%s%n",
          request.topic(),
          request.since().describe(),
          request.until().describe(),
          total,
          open.size(),
          request.key() == null ? "" : " (key " + request.key() + " only)");
      consumer.assign(open.keySet());
      open.forEach((tp, range) -> consumer.seek(tp, range.from()));
      long read = 0;
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (!open.isEmpty() && !stopping.get() && sink.open()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          PartitionRange range = open.get(tp);
          if (stopping.get() || !sink.open()) {
            break;
          }
          if (range == null || record.offset() >= range.to()) {
            continue;
          }
          read++;
          if (request.key() == null
              || Arrays.equals(record.key(), request.key().getBytes(StandardCharsets.UTF_8))) {
            sink.accept(record);
          }
        }
        List<TopicPartition> done = new ArrayList<>();
        open.forEach(
            (tp, range) -> {
              if (consumer.position(tp) >= range.to()) {
                done.add(tp);
              }
            });
        if (!done.isEmpty()) {
          done.forEach(open::remove);
          consumer.assign(open.keySet());
        }
        if (System.nanoTime() > nextProgress) {
          nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
          progress(read, total, started, consumer, open);
        }
      }
      ReplaySink.Tally tally = sink.finish();
      return new Summary(
          read,
          tally.written(),
          tally.failed(),
          Duration.ofNanos(System.nanoTime() - started),
          stopping.get() || !sink.open());
    }
  }

  private void progress(
      long read,
      long total,
      long started,
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, PartitionRange> open) {
    double seconds = (System.nanoTime() - started) / 1e9;
    StringBuilder at = new StringBuilder();
    open.forEach(
        (tp, range) ->
            at.append(' ')
                .append(tp.partition())
                .append('@')
                .append(consumer.position(tp))
                .append('/')
                .append(range.to()));
    err.printf(
        "replay: %d of %d record(s) read (%.0f/s); partition@position/end:%s%n",
        read, total, read / Math.max(0.001, seconds), at);
  }

  private static Map<Integer, Long> lookup(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant time) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
    Map<Integer, Long> found = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
        consumer.offsetsForTimes(query, Duration.ofSeconds(30)).entrySet()) {
      if (e.getValue() != null) {
        found.put(e.getKey().partition(), e.getValue().offset());
      }
    }
    return found;
  }

  private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> out = new HashMap<>();
    offsets.forEach((tp, offset) -> out.put(tp.partition(), offset));
    return out;
  }

  private int partitionCount(String topic) {
    Map<String, Object> props = new HashMap<>(config.consumerProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    props.keySet().retainAll(AdminClientConfig.configNames());
    try (Admin admin = Admin.create(props)) {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      return d.partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ConfigException(
            List.of(
                "--topic names no topic in Kafka at "
                    + config.bootstrap()
                    + " (was "
                    + topic
                    + ")"));
      }
      throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot describe topic " + topic + ": Kafka at " + config.bootstrap() + " did not answer",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Map<String, Object> consumerSettings() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "zgres-replay");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.putAll(config.consumerProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }
}
