package dev.zgres.consumers.gateway.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.fanout.FanOut;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.ResumeDecision;
import dev.zgres.consumers.gateway.socket.SocketRegistry;
import dev.zgres.events.Topics;
import dev.zgres.runtime.lifecycle.OwnedThread;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one reader of {@code chat.messages} and {@code chat.websocket_events}: every
 * partition assigned by hand (no consumer group: every gateway instance sees every record),
 * starting from the end. Chat records go to the {@link FanOut} (skipped unread when their channel
 * has no local subscriber); typing goes to the channel's subscribers and presence to every
 * authenticated socket, never replayed. The loop is the one of the {@code KafkaConsumer} javadoc: a
 * closed flag and {@code wakeup()}.
 */
public final class FeedReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedReader.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicLayout layout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ObjectMapper json;
  private volatile long lastPollMillis = System.currentTimeMillis();
  private OwnedThread thread;

  private FeedReader(
      KafkaConsumer<byte[], byte[]> consumer, TopicLayout layout, ObjectMapper json) {
    this.consumer = consumer;
    this.layout = layout;
    this.json = json;
  }

  /** Assigns every partition of both topics at their end; the returned layout seeds the fan-out. */
  public static FeedReader open(String bootstrap, Map<String, String> extra, ObjectMapper json) {
    TopicLayout layout = TopicLayout.describe(bootstrap, extra);
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
            "zgres-gateway-feed"));
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> all = new ArrayList<>();
    for (int i = 0; i < layout.messagePartitions(); i++) {
      all.add(new TopicPartition(Topics.CHAT_MESSAGES, i));
    }
    for (int i = 0; i < layout.websocketPartitions(); i++) {
      all.add(new TopicPartition(Topics.WEBSOCKET_EVENTS, i));
    }
    consumer.assign(all);
    Map<TopicPartition, Long> ends = consumer.endOffsets(all);
    long[] start = new long[layout.messagePartitions()];
    for (TopicPartition tp : all) {
      long end = ends.get(tp);
      consumer.seek(tp, end);
      if (tp.topic().equals(Topics.CHAT_MESSAGES)) {
        start[tp.partition()] = end - 1;
      }
    }
    return new FeedReader(consumer, layout.withStart(start), json);
  }

  public TopicLayout layout() {
    return layout;
  }

  /** Starts the loop on its own thread. */
  public void start(
      FanOut fanOut,
      RecordFrames recordFrames,
      ServerFrames frames,
      SocketRegistry sockets,
      GatewayMeters meters) {
    thread =
        new OwnedThread(
            "zgres-gateway-feed", () -> loop(fanOut, recordFrames, frames, sockets, meters));
    thread.start();
  }

  /** Whether the loop polled within the last {@code within}. */
  public boolean healthy(Duration within) {
    return thread != null
        && thread.alive()
        && System.currentTimeMillis() - lastPollMillis < within.toMillis();
  }

  private void loop(
      FanOut fanOut,
      RecordFrames recordFrames,
      ServerFrames frames,
      SocketRegistry sockets,
      GatewayMeters meters) {
    try {
      while (!closed.get()) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(Topics.CHAT_MESSAGES)) {
              int channel = RecordFrames.channelId(r.key());
              int n =
                  fanOut.publish(
                      r.partition(),
                      r.offset(),
                      channel,
                      () -> recordFrames.entry(channel, fanOut.epoch(), r.offset(), r.value()));
              meters.delivered(n, r.timestamp());
            } else {
              ephemeral(r.value(), fanOut, frames, sockets);
            }
          }
          lastPollMillis = System.currentTimeMillis();
        } catch (WakeupException e) {
          if (!closed.get()) {
            throw e;
          }
        } catch (OffsetOutOfRangeException e) {
          skipLostRecords(e, fanOut, meters);
        } catch (RuntimeException e) {
          LOG.warn("gateway feed: poll or fan-out failed; carrying on", e);
          meters.loopError("feed");
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Records the reader had not read yet are gone (retention overtook it): its subscribers of the
   * channels in those partitions are told to refetch, and reading goes on from the oldest record
   * left. Nobody is left with a silent gap.
   */
  private void skipLostRecords(OffsetOutOfRangeException e, FanOut fanOut, GatewayMeters meters) {
    LOG.warn("gateway feed: records gone before they were read in {}", e.partitions());
    meters.loopError("feed_records_gone");
    for (TopicPartition tp : e.partitions()) {
      if (tp.topic().equals(Topics.CHAT_MESSAGES)) {
        fanOut.dropPartition(tp.partition(), ResumeDecision.RECORDS_GONE);
      }
    }
    consumer.seekToBeginning(e.partitions());
  }

  /** Typing and presence: to the sockets concerned now, never kept. */
  private void ephemeral(byte[] value, FanOut fanOut, ServerFrames frames, SocketRegistry sockets) {
    JsonNode event;
    try {
      event = json.readTree(value);
    } catch (IOException e) {
      return;
    }
    if (event == null || !event.isObject()) {
      return;
    }
    JsonNode data = event.path("data");
    switch (event.path("event_type").asText("")) {
      case "typing_indicator" -> {
        int channel = event.path("channel_id").asInt(0);
        int user = data.path("user_id").asInt(0);
        if (channel > 0 && user > 0) {
          fanOut.broadcast(
              channel, frames.typing(channel, user, data.path("is_typing").asBoolean()), user);
        }
      }
      case "presence" -> {
        int user = event.path("user_id").asInt(0);
        String status = data.path("status").asText("");
        if (user > 0 && !status.isEmpty()) {
          sockets.broadcast(frames.presence(user, status));
        }
      }
      default -> {}
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    consumer.wakeup();
    if (thread != null) {
      thread.stop(Duration.ofSeconds(10), Duration.ofSeconds(2));
    } else {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
