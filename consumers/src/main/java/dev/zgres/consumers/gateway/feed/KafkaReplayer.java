package dev.zgres.consumers.gateway.feed;

import dev.zgres.consumers.gateway.fanout.FanOut;
import dev.zgres.consumers.gateway.fanout.SubscribeResult;
import dev.zgres.consumers.gateway.fanout.Subscriber;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.Replayer;
import dev.zgres.consumers.gateway.resume.ResumeDecision;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import dev.zgres.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a channel's missed records from {@code chat.messages} with a consumer of its own per
 * replay (assigned, no group, {@code auto.offset.reset=none}): a position whose records Kafka no
 * longer keeps fails with an out-of-range error and becomes {@code refetch}, never a silent gap.
 */
public final class KafkaReplayer implements Replayer {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaReplayer.class);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final String bootstrap;
  private final Map<String, String> extra;
  private final FanOut fanOut;
  private final RecordFrames recordFrames;
  private final ServerFrames frames;
  private final GatewayMeters meters;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  public KafkaReplayer(
      String bootstrap,
      Map<String, String> extra,
      FanOut fanOut,
      RecordFrames recordFrames,
      ServerFrames frames,
      GatewayMeters meters,
      int threads) {
    this.bootstrap = bootstrap;
    this.extra = Map.copyOf(extra);
    this.fanOut = fanOut;
    this.recordFrames = recordFrames;
    this.frames = frames;
    this.meters = meters;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "zgres-gateway-replay-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void replay(
      Subscriber subscriber, int channelId, SubscribeResult.Replay replay, String requestId) {
    try {
      executor.execute(() -> run(subscriber, channelId, replay, requestId));
    } catch (RejectedExecutionException e) {
      fail(subscriber, channelId, requestId, ResumeDecision.REPLAY_FAILED);
    }
  }

  private void run(
      Subscriber subscriber, int channelId, SubscribeResult.Replay replay, String requestId) {
    TopicPartition tp = new TopicPartition(Topics.CHAT_MESSAGES, replay.partition());
    List<WindowEntry> entries = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, replay.fromOffset());
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (consumer.position(tp) <= replay.toOffset()) {
        if (System.nanoTime() > deadline || closed.get()) {
          fail(subscriber, channelId, requestId, ResumeDecision.REPLAY_FAILED);
          return;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() <= replay.toOffset() && RecordFrames.channelId(r.key()) == channelId) {
            WindowEntry e = recordFrames.entry(channelId, fanOut.epoch(), r.offset(), r.value());
            if (e != null) {
              entries.add(e);
            }
          }
        }
      }
    } catch (OffsetOutOfRangeException e) {
      fail(subscriber, channelId, requestId, ResumeDecision.RECORDS_GONE);
      return;
    } catch (RuntimeException e) {
      LOG.warn("replay of channel {} from offset {} failed", channelId, replay.fromOffset(), e);
      meters.loopError("replay");
      fail(subscriber, channelId, requestId, ResumeDecision.REPLAY_FAILED);
      return;
    }
    meters.resume("replayed");
    fanOut.activate(subscriber, channelId, entries);
  }

  private void fail(Subscriber subscriber, int channelId, String requestId, String reason) {
    fanOut.failReplay(subscriber, channelId);
    subscriber.subscriptionEnded(channelId);
    meters.resume("refetch");
    subscriber.deliver(frames.refetch(requestId, channelId, reason));
  }

  private Properties properties() {
    Properties p = new Properties();
    p.putAll(extra);
    p.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "none",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.CLIENT_ID_CONFIG,
            "zgres-gateway-replay"));
    return p;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
