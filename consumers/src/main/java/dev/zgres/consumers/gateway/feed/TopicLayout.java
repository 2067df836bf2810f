package dev.zgres.consumers.gateway.feed;

import dev.zgres.events.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The partitions of the two topics the gateway reads, and the epoch of {@code chat.messages}: its
 * topic id and partition count, which change when the topic is re-created or re-partitioned (and
 * with them the meaning of every offset). Topics that do not exist yet are created with the
 * broker's defaults, as the bridge's first record would.
 *
 * @param startPositions per partition of {@code chat.messages}, the offset before the first record
 *     the reader reads; null until the reader is positioned
 */
public record TopicLayout(
    String epoch, int messagePartitions, int websocketPartitions, long[] startPositions) {

  TopicLayout withStart(long[] start) {
    return new TopicLayout(epoch, messagePartitions, websocketPartitions, start);
  }

  /** A topic created moments ago may not be known to every broker yet: retry for a while. */
  private static Map<String, TopicDescription> describe(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  static TopicLayout describe(String bootstrap, Map<String, String> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(config)) {
      List<String> topics = List.of(Topics.CHAT_MESSAGES, Topics.WEBSOCKET_EVENTS);
      for (String topic : topics) {
        try {
          admin
              .createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
              .all()
              .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic, e.getCause());
          }
        }
      }
      Map<String, TopicDescription> d = describe(admin, topics);
      TopicDescription messages = d.get(Topics.CHAT_MESSAGES);
      return new TopicLayout(
          messages.topicId() + "-" + messages.partitions().size(),
          messages.partitions().size(),
          d.get(Topics.WEBSOCKET_EVENTS).partitions().size(),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing the gateway's topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the gateway's topics", e);
    }
  }
}
