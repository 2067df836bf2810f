package dev.zgres.consumers.gateway.fanout;

import dev.zgres.consumers.gateway.resume.ChannelWindow;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel's local subscriptions and recent-record window. Each subscription remembers the
 * offset of the last record it delivered, so a record is never delivered twice, whichever path
 * (window, replay, live) brings it. A new subscription is held (it buffers live records) until its
 * owner activates it: after the read check, and after a replay from Kafka. Not thread-safe: guarded
 * by its {@link PartitionFeeds}.
 */
final class ChannelFeed {
  private final int channelId;
  private final ChannelWindow window;
  private final int maxPending;
  private final Map<Subscriber, Subscription> subscriptions = new LinkedHashMap<>();

  ChannelFeed(int channelId, ChannelWindow window, int maxPending) {
    this.channelId = channelId;
    this.window = window;
    this.maxPending = maxPending;
  }

  ChannelWindow window() {
    return window;
  }

  boolean isEmpty() {
    return subscriptions.isEmpty();
  }

  int size() {
    return subscriptions.size();
  }

  boolean contains(Subscriber subscriber) {
    return subscriptions.containsKey(subscriber);
  }

  /**
   * Adds a subscription that is held: it buffers the channel's records until {@link #activate},
   * which first queues {@code subscribedFrame}, then the replayed records, then {@code initial}
   * (records the window already had) and the buffered ones, and goes live. Only records after
   * {@code lastDelivered} are ever delivered.
   */
  void addHeld(
      Subscriber subscriber,
      long lastDelivered,
      List<WindowEntry> initial,
      byte[] subscribedFrame) {
    Subscription s = new Subscription(lastDelivered);
    s.pending = new ArrayList<>(initial);
    s.subscribedFrame = subscribedFrame;
    subscriptions.put(subscriber, s);
  }

  /** Ends every subscription with {@code frame} (a refetch). */
  void endAll(byte[] frame) {
    for (Subscriber s : subscriptions.keySet()) {
      s.deliver(frame);
      s.subscriptionEnded(channelId);
    }
    subscriptions.clear();
  }

  boolean remove(Subscriber subscriber) {
    return subscriptions.remove(subscriber) != null;
  }

  /** A new record of the channel: into the window, and to every subscription. */
  int publish(WindowEntry entry, FeedEvents events) {
    if (entry.offset() > window.coveredAfter()) {
      window.append(entry);
    }
    int delivered = 0;
    List<Subscriber> ended = null;
    for (Map.Entry<Subscriber, Subscription> e : subscriptions.entrySet()) {
      Subscription s = e.getValue();
      if (s.pending != null) {
        if (s.pending.size() >= maxPending) {
          ended = add(ended, e.getKey());
          events.replayOverflowed(e.getKey(), channelId);
        } else {
          s.pending.add(entry);
        }
        continue;
      }
      Delivery d = deliver(e.getKey(), s, entry);
      if (d == Delivery.DELIVERED || d == Delivery.REVOKED) {
        delivered++;
      }
      if (d == Delivery.REVOKED) {
        ended = add(ended, e.getKey());
        events.revoked(e.getKey(), channelId);
      } else if (d == Delivery.REFUSED) {
        ended = add(ended, e.getKey());
      }
    }
    if (ended != null) {
      for (Subscriber s : ended) {
        subscriptions.remove(s);
        s.subscriptionEnded(channelId);
      }
    }
    return delivered;
  }

  /**
   * Delivers entries to one subscription in order (those it has not had), stopping after one that
   * revokes its user. Returns false when the subscription ended.
   */
  boolean deliverAll(Subscriber subscriber, List<WindowEntry> entries, FeedEvents events) {
    Subscription s = subscriptions.get(subscriber);
    if (s == null) {
      return false;
    }
    for (WindowEntry entry : entries) {
      Delivery d = deliver(subscriber, s, entry);
      if (d == Delivery.REVOKED || d == Delivery.REFUSED) {
        subscriptions.remove(subscriber);
        if (d == Delivery.REVOKED) {
          events.revoked(subscriber, channelId);
        }
        subscriber.subscriptionEnded(channelId);
        return false;
      }
    }
    return true;
  }

  /**
   * Releases a held subscription: its subscribed frame, the replayed records, then what the window
   * had and what arrived meanwhile; then it is live. Returns false when it ended (or was not held).
   */
  boolean activate(Subscriber subscriber, List<WindowEntry> replayed, FeedEvents events) {
    Subscription s = subscriptions.get(subscriber);
    if (s == null || s.pending == null) {
      return false;
    }
    List<WindowEntry> buffered = s.pending;
    s.pending = null;
    if (!subscriber.deliver(s.subscribedFrame)) {
      subscriptions.remove(subscriber);
      subscriber.subscriptionEnded(channelId);
      return false;
    }
    s.subscribedFrame = null;
    return deliverAll(subscriber, replayed, events) && deliverAll(subscriber, buffered, events);
  }

  /** Queues an ephemeral frame to the live subscriptions of users other than {@code exceptUser}. */
  int broadcast(byte[] frame, int exceptUser) {
    int n = 0;
    List<Subscriber> refused = null;
    for (Map.Entry<Subscriber, Subscription> e : subscriptions.entrySet()) {
      if (e.getValue().pending == null && e.getKey().userId() != exceptUser) {
        if (e.getKey().deliver(frame)) {
          n++;
        } else {
          refused = add(refused, e.getKey());
        }
      }
    }
    if (refused != null) {
      for (Subscriber s : refused) {
        subscriptions.remove(s);
        s.subscriptionEnded(channelId);
      }
    }
    return n;
  }

  private Delivery deliver(Subscriber subscriber, Subscription s, WindowEntry entry) {
    if (entry.offset() <= s.lastDelivered) {
      return Delivery.SKIPPED;
    }
    s.lastDelivered = entry.offset();
    if (!subscriber.deliver(entry.frame())) {
      return Delivery.REFUSED;
    }
    return entry.revokesUser() == subscriber.userId() ? Delivery.REVOKED : Delivery.DELIVERED;
  }

  private static List<Subscriber> add(List<Subscriber> list, Subscriber s) {
    List<Subscriber> out = list == null ? new ArrayList<>() : list;
    out.add(s);
    return out;
  }

  private enum Delivery {
    DELIVERED,
    SKIPPED,
    REVOKED,
    /** The subscriber is closed or too slow: its subscription ends. */
    REFUSED
  }

  private static final class Subscription {
    long lastDelivered;
    List<WindowEntry> pending;
    byte[] subscribedFrame;

    Subscription(long lastDelivered) {
      this.lastDelivered = lastDelivered;
    }
  }
}
