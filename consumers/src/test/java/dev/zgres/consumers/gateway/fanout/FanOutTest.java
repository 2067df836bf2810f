package dev.zgres.consumers.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.Position;
import dev.zgres.consumers.gateway.resume.WindowEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FanOutTest {
  private static final String EPOCH = "e1";
  private final List<String> revoked = new ArrayList<>();
  private final FeedEvents events =
      new FeedEvents() {
        @Override
        public void revoked(Subscriber s, int channelId) {
          revoked.add(s.userId() + "@" + channelId);
        }

        @Override
        public void replayOverflowed(Subscriber s, int channelId) {}
      };
  private final FanOut fanOut =
      new FanOut(EPOCH, new long[] {99}, new ServerFrames(new JsonFactory()), events, 3, 1000, 10);

  /** Records what it receives: "sub" for a subscribed frame, else the record's offset. */
  static final class Socket implements Subscriber {
    final int user;
    final List<String> got = new ArrayList<>();
    final List<Integer> ended = new ArrayList<>();
    boolean refuses;

    Socket(int user) {
      this.user = user;
    }

    @Override
    public int userId() {
      return user;
    }

    @Override
    public boolean deliver(byte[] frame) {
      String text = new String(frame, StandardCharsets.UTF_8);
      if (refuses) {
        return false;
      }
      got.add(text.startsWith("{\"type\":\"subscribed\"") ? "sub" : text);
      return true;
    }

    @Override
    public void subscriptionEnded(int channelId) {
      ended.add(channelId);
    }
  }

  private static WindowEntry entry(long offset, int revokes) {
    return new WindowEntry(offset, Long.toString(offset).getBytes(StandardCharsets.UTF_8), revokes);
  }

  /** Subscribes and releases at once, as a socket does after its read check. */
  private SubscribeResult subscribe(Socket socket, int channel, Position since) {
    SubscribeResult r = fanOut.subscribe(socket, channel, since, null);
    if (r instanceof SubscribeResult.Done) {
      fanOut.activate(socket, channel, List.of());
    }
    return r;
  }

  private int publish(long offset, int channel) {
    return fanOut.publish(0, offset, channel, () -> entry(offset, 0));
  }

  @Test
  void skipsRecordsOfChannelsWithoutSubscribersWithoutReadingThem() {
    AtomicInteger parsed = new AtomicInteger();
    fanOut.publish(
        0,
        100,
        7,
        () -> {
          parsed.incrementAndGet();
          return entry(100, 0);
        });
    assertThat(parsed).hasValue(0);
    assertThat(fanOut.position(7)).isEqualTo(100);
  }

  @Test
  void liveSubscriptionGetsOnlyLaterRecordsOfItsChannelSharingTheSameBytes() {
    Socket a = new Socket(1);
    Socket b = new Socket(2);
    publish(100, 7);
    assertThat(subscribe(a, 7, null)).isEqualTo(new SubscribeResult.Done(100, false));
    subscribe(b, 7, null);
    assertThat(publish(101, 7)).isEqualTo(2);
    publish(102, 8);
    assertThat(a.got).containsExactly("sub", "101");
    assertThat(b.got).containsExactly("sub", "101");
  }

  @Test
  void resumeFromTheWindowDeliversExactlyTheMissedRecordsThenLiveOnes() {
    Socket first = new Socket(1);
    subscribe(first, 7, null);
    publish(100, 7);
    publish(101, 8);
    publish(102, 7);
    publish(103, 7);
    Socket again = new Socket(1);
    SubscribeResult r = subscribe(again, 7, new Position(EPOCH, 100));
    publish(104, 7);
    assertThat(r).isEqualTo(new SubscribeResult.Done(103, true));
    assertThat(again.got).containsExactly("sub", "102", "103", "104");
  }

  @Test
  void resumeOlderThanTheWindowReplaysThenHandsOverWithoutGapOrDuplicate() {
    Socket keeper = new Socket(1);
    subscribe(keeper, 7, null);
    for (long o = 100; o <= 105; o++) {
      publish(o, 7);
    }
    Socket resumer = new Socket(2);
    SubscribeResult r = fanOut.subscribe(resumer, 7, new Position(EPOCH, 100), "\"r\"");
    assertThat(r).isEqualTo(new SubscribeResult.Replay(0, 101, 105));
    publish(106, 7);
    publish(107, 7);
    List<WindowEntry> replayed = new ArrayList<>();
    for (long o = 101; o <= 106; o++) {
      replayed.add(entry(o, 0)); // the replay read one record past its target
    }
    assertThat(resumer.got).isEmpty();
    fanOut.activate(resumer, 7, replayed);
    publish(108, 7);
    assertThat(resumer.got)
        .containsExactly("sub", "101", "102", "103", "104", "105", "106", "107", "108");
  }

  @Test
  void refetchesAResumeFromAnotherEpoch() {
    assertThat(fanOut.subscribe(new Socket(1), 7, new Position("other", 100), null))
        .isEqualTo(new SubscribeResult.Refetch("epoch_changed"));
    assertThat(fanOut.hasSubscribers(7)).isFalse();
  }

  @Test
  void aRemovedMemberGetsTheRemovalThenNothingMore() {
    Socket removed = new Socket(5);
    Socket other = new Socket(6);
    subscribe(removed, 7, null);
    subscribe(other, 7, null);
    publish(100, 7);
    fanOut.publish(0, 101, 7, () -> entry(101, 5));
    publish(102, 7);
    assertThat(removed.got).containsExactly("sub", "100", "101");
    assertThat(removed.ended).containsExactly(7);
    assertThat(other.got).containsExactly("sub", "100", "101", "102");
    assertThat(revoked).containsExactly("5@7");
  }

  @Test
  void aResumeThatReplaysARemovalStopsThere() {
    Socket keeper = new Socket(1);
    subscribe(keeper, 7, null);
    publish(100, 7);
    fanOut.publish(0, 101, 7, () -> entry(101, 5));
    publish(102, 7);
    Socket removed = new Socket(5);
    subscribe(removed, 7, new Position(EPOCH, 99));
    assertThat(removed.got).containsExactly("sub", "100", "101");
    assertThat(fanOut.subscriptions()).isEqualTo(1);
  }

  @Test
  void aSubscriberThatRefusesAFrameIsDroppedWhileTheOthersGetIt() {
    Socket slow = new Socket(1);
    Socket fast = new Socket(2);
    subscribe(slow, 7, null);
    subscribe(fast, 7, null);
    slow.refuses = true;
    assertThat(publish(100, 7)).isEqualTo(1);
    publish(101, 7);
    assertThat(fast.got).containsExactly("sub", "100", "101");
    assertThat(slow.ended).containsExactly(7);
    assertThat(fanOut.subscriptions()).isEqualTo(1);
  }

  @Test
  void aHeldSubscriptionGetsNothingUntilReleasedThenEverythingInOrder() {
    Socket held = new Socket(1);
    assertThat(fanOut.subscribe(held, 7, null, "\"h\""))
        .isEqualTo(new SubscribeResult.Done(99, false));
    publish(100, 7);
    publish(101, 7);
    assertThat(held.got).isEmpty();
    fanOut.activate(held, 7, List.of());
    publish(102, 7);
    assertThat(held.got).containsExactly("sub", "100", "101", "102");
  }

  @Test
  void aHeldSubscriptionThatIsDroppedReceivesNothing() {
    Socket refused = new Socket(1);
    fanOut.subscribe(refused, 7, null, null);
    publish(100, 7);
    assertThat(fanOut.unsubscribe(refused, 7)).isTrue();
    publish(101, 7);
    assertThat(refused.got).isEmpty();
    assertThat(fanOut.hasSubscribers(7)).isFalse();
  }

  @Test
  void lostRecordsEndEverySubscriptionOfThePartitionWithARefetch() {
    Socket a = new Socket(1);
    subscribe(a, 7, null);
    publish(100, 7);
    fanOut.dropPartition(0, "records_gone");
    publish(101, 7);
    assertThat(a.got).hasSize(3);
    assertThat(a.got.get(2))
        .isEqualTo("{\"type\":\"refetch\",\"channel_id\":7,\"reason\":\"records_gone\"}");
    assertThat(a.ended).containsExactly(7);
    assertThat(fanOut.subscriptions()).isZero();
  }

  @Test
  void typingGoesToTheOtherUsersOnly() {
    Socket typist = new Socket(1);
    Socket reader = new Socket(2);
    subscribe(typist, 7, null);
    subscribe(reader, 7, null);
    assertThat(fanOut.broadcast(7, "t".getBytes(StandardCharsets.UTF_8), 1)).isEqualTo(1);
    assertThat(typist.got).containsExactly("sub");
    assertThat(reader.got).containsExactly("sub", "t");
  }

  @Test
  void unsubscribingTheLastSocketForgetsTheChannel() {
    Socket a = new Socket(1);
    subscribe(a, 7, null);
    assertThat(subscribe(a, 7, null)).isEqualTo(new SubscribeResult.AlreadySubscribed());
    assertThat(fanOut.unsubscribe(a, 7)).isTrue();
    assertThat(fanOut.unsubscribe(a, 7)).isFalse();
    assertThat(fanOut.hasSubscribers(7)).isFalse();
  }
}
