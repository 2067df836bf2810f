package dev.zgres.bench.receive;

import dev.zgres.bench.measure.LatencyMatcher;
import dev.zgres.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The bridge's downstream: a Kafka consumer reading the topic from its end, without a group (it
 * assigns the partitions itself), fetching as soon as one byte is there. A record's receipt time is
 * when {@code poll} returned it to this process, which comes after Kafka acknowledged it to the
 * bridge (a consumer only sees records below the high watermark, i.e. acknowledged with {@code
 * acks=all}): the figure is commit to visible-to-consumers, an upper bound of commit to ack.
 */
public final class KafkaReceiver implements EventReceiver {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder strays = new LongAdder();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final Thread thread;
  private volatile LatencyMatcher matcher;
  private volatile Exception failure;

  public KafkaReceiver(String bootstrap, String topic, int partitions) throws InterruptedException {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "zgres-bench",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    List<TopicPartition> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assigned.add(new TopicPartition(topic, p));
    }
    consumer.assign(assigned);
    thread = new Thread(this::run, "zgres-bench-kafka");
    thread.start();
    if (!positioned.await(60, TimeUnit.SECONDS)) {
      close();
      throw new IllegalStateException("the Kafka consumer could not find the end of " + topic);
    }
  }

  private void run() {
    try {
      consumer.seekToEnd(consumer.assignment());
      for (TopicPartition tp : consumer.assignment()) {
        consumer.position(tp);
      }
      positioned.countDown();
      while (!closed.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        long wallNow = System.currentTimeMillis();
        LatencyMatcher m = matcher;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          long id =
              r.value() == null
                  ? -1
                  : PayloadIds.extract(new String(r.value(), StandardCharsets.UTF_8));
          if (m == null || id < 0) {
            strays.increment();
          } else {
            m.received(id, now);
            Header receivedAt = r.headers().lastHeader(EventHeaders.RECEIVED_AT);
            if (receivedAt != null) {
              m.downstream(
                  wallNow - Long.parseLong(new String(receivedAt.value(), StandardCharsets.UTF_8)));
            }
          }
        }
      }
    } catch (WakeupException e) {
      if (!closed.get()) {
        failure = e;
      }
    } catch (RuntimeException e) {
      failure = e;
      System.err.println("zgres bench: the Kafka receiver stopped: " + e);
    } finally {
      positioned.countDown();
      consumer.close();
    }
  }

  @Override
  public void attach(LatencyMatcher matcher) {
    if (failure != null) {
      throw new IllegalStateException("the Kafka receiver has failed", failure);
    }
    this.matcher = matcher;
  }

  @Override
  public long strays() {
    return strays.sum();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
