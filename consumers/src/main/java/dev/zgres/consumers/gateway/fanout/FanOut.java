package dev.zgres.consumers.gateway.fanout;

import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.ChannelWindow;
import dev.zgres.consumers.gateway.resume.Position;
import dev.zgres.consumers.gateway.resume.ResumeDecision;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Utils;

/**
 * The local subscriptions of one gateway to the channels of {@code chat.messages}, partition by
 * partition. Each partition has one lock that orders the reader's records against subscribes, so a
 * subscription starts exactly between two records: everything after its start position reaches it
 * once, nothing before does. Records of channels without a local subscription are skipped before
 * their value is read ({@link #publish} takes the entry lazily).
 */
public final class FanOut {
  private final String epoch;
  private final Object[] locks;
  private final long[] positions;
  private final List<Map<Integer, ChannelFeed>> feeds;
  private final ServerFrames frames;
  private final FeedEvents events;
  private final int windowCapacity;
  private final long maxReplay;
  private final int maxPending;

  /**
   * @param epoch the topic's current epoch
   * @param startPositions per partition, the offset before the first record the reader will read
   *     (its start offset minus one)
   * @param windowCapacity records kept in memory per channel with subscribers
   * @param maxReplay furthest behind (in partition offsets) a resume is replayed from Kafka
   * @param maxPending live records a subscription buffers while its replay runs
   */
  public FanOut(
      String epoch,
      long[] startPositions,
      ServerFrames frames,
      FeedEvents events,
      int windowCapacity,
      long maxReplay,
      int maxPending) {
    this.epoch = epoch;
    this.positions = startPositions.clone();
    this.locks = new Object[positions.length];
    this.feeds = new ArrayList<>(positions.length);
    for (int p = 0; p < positions.length; p++) {
      locks[p] = new Object();
      feeds.add(new HashMap<>());
    }
    this.frames = frames;
    this.events = events;
    this.windowCapacity = windowCapacity;
    this.maxReplay = maxReplay;
    this.maxPending = maxPending;
  }

  public String epoch() {
    return epoch;
  }

  public int partitions() {
    return positions.length;
  }

  /** The partition of {@code chat.messages} that holds a channel (the producer's partitioner). */
  public int partitionOf(int channelId) {
    byte[] key = Integer.toString(channelId).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % positions.length;
  }

  /**
   * The reader's next record: {@code offset} in {@code partition}, of channel {@code channelId} (or
   * -1 when the key is not a channel id). When the channel has local subscribers, {@code entry} is
   * called once (parse and encode) and the entry goes to all of them; returns how many sockets it
   * was queued for.
   */
  public int publish(int partition, long offset, int channelId, Supplier<WindowEntry> entry) {
    synchronized (locks[partition]) {
      positions[partition] = Math.max(positions[partition], offset);
      ChannelFeed feed = channelId < 0 ? null : feeds.get(partition).get(channelId);
      if (feed == null) {
        return 0;
      }
      WindowEntry e = entry.get();
      if (e == null) {
        return 0;
      }
      int delivered = feed.publish(e, events);
      dropIfEmpty(partition, channelId, feed);
      return delivered;
    }
  }

  /** Whether the channel has local subscribers now (the reader may skip records of others). */
  public boolean hasSubscribers(int channelId) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      return feeds.get(p).containsKey(channelId);
    }
  }

  /**
   * Subscribes a socket, held: nothing reaches it until {@link #activate} (after the caller checked
   * that its user may read the channel). With {@code since} null it then receives the records after
   * the current position; else the records after {@code since}, from memory when the window has
   * them ({@link SubscribeResult.Done}), else from a replay the caller runs ({@link
   * SubscribeResult.Replay}, activated with the replayed records). The {@code subscribed} frame
   * (with the request {@code id}) always comes first.
   */
  public SubscribeResult subscribe(
      Subscriber subscriber, int channelId, Position since, String requestId) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      Map<Integer, ChannelFeed> partitionFeeds = feeds.get(p);
      ChannelFeed existing = partitionFeeds.get(channelId);
      if (existing != null && existing.contains(subscriber)) {
        return new SubscribeResult.AlreadySubscribed();
      }
      long position = positions[p];
      ChannelFeed feed =
          existing != null
              ? existing
              : new ChannelFeed(channelId, new ChannelWindow(windowCapacity, position), maxPending);
      if (since == null) {
        partitionFeeds.put(channelId, feed);
        feed.addHeld(
            subscriber,
            position,
            List.of(),
            frames.subscribed(requestId, channelId, epoch, position, false));
        return new SubscribeResult.Done(position, false);
      }
      ResumeDecision decision = feed.window().decide(since, epoch, position, maxReplay);
      long start = Math.max(position, since.offset());
      switch (decision) {
        case ResumeDecision.Refetch r -> {
          return new SubscribeResult.Refetch(r.reason());
        }
        case ResumeDecision.Recovered r -> {
          partitionFeeds.put(channelId, feed);
          feed.addHeld(
              subscriber,
              since.offset(),
              r.missed(),
              frames.subscribed(requestId, channelId, epoch, start, true));
          return new SubscribeResult.Done(start, true);
        }
        case ResumeDecision.SeekKafka s -> {
          partitionFeeds.put(channelId, feed);
          feed.addHeld(
              subscriber,
              since.offset(),
              List.of(),
              frames.subscribed(requestId, channelId, epoch, start, true));
          return new SubscribeResult.Replay(p, s.fromOffset(), position);
        }
      }
    }
  }

  /**
   * Releases a held subscription: queues its {@code subscribed} frame, then {@code replayed} (the
   * records a {@link SubscribeResult.Replay} read from Kafka, oldest first; empty otherwise), then
   * the records held meanwhile; from then on it is live.
   */
  public void activate(Subscriber subscriber, int channelId, List<WindowEntry> replayed) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      ChannelFeed feed = feeds.get(p).get(channelId);
      if (feed == null || !feed.contains(subscriber)) {
        return;
      }
      if (!feed.activate(subscriber, replayed, events)) {
        dropIfEmpty(p, channelId, feed);
      }
    }
  }

  /** The replay failed: the subscription is dropped; the caller sends {@code refetch}. */
  public void failReplay(Subscriber subscriber, int channelId) {
    unsubscribe(subscriber, channelId);
  }

  /**
   * Records of {@code partition} were lost before the reader read them: every subscription of its
   * channels ends with a {@code refetch} frame, and the channels' windows are forgotten (they no
   * longer cover everything after their start).
   */
  public void dropPartition(int partition, String reason) {
    synchronized (locks[partition]) {
      for (Map.Entry<Integer, ChannelFeed> e : feeds.get(partition).entrySet()) {
        e.getValue().endAll(frames.refetch(null, e.getKey(), reason));
      }
      feeds.get(partition).clear();
    }
  }

  /** Ends a subscription; returns whether there was one. */
  public boolean unsubscribe(Subscriber subscriber, int channelId) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      ChannelFeed feed = feeds.get(p).get(channelId);
      if (feed == null || !feed.remove(subscriber)) {
        return false;
      }
      dropIfEmpty(p, channelId, feed);
      return true;
    }
  }

  /**
   * Queues an ephemeral frame (typing) to the live subscribers of a channel other than {@code
   * exceptUser}'s sockets; returns how many.
   */
  public int broadcast(int channelId, byte[] frame, int exceptUser) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      ChannelFeed feed = feeds.get(p).get(channelId);
      return feed == null ? 0 : feed.broadcast(frame, exceptUser);
    }
  }

  /** The current position of the channel's partition (the last record the reader handled). */
  public long position(int channelId) {
    int p = partitionOf(channelId);
    synchronized (locks[p]) {
      return positions[p];
    }
  }

  /** Subscriptions held now, over all channels. */
  public int subscriptions() {
    int n = 0;
    for (int p = 0; p < positions.length; p++) {
      synchronized (locks[p]) {
        for (ChannelFeed f : feeds.get(p).values()) {
          n += f.size();
        }
      }
    }
    return n;
  }

  private void dropIfEmpty(int p, int channelId, ChannelFeed feed) {
    if (feed.isEmpty()) {
      feeds.get(p).remove(channelId, feed);
    }
  }
}
