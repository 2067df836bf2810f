package dev.zgres.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.events.EventHeaders;
import dev.zgres.testkit.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Compares what was written ({@code channel:seq} ids) with the records Kafka holds (payloads made
 * by {@link SequencedWriter#payload}): what was delivered, lost, invented or repeated, whether each
 * channel's events came in the order they committed, and whether a repeated event kept its id.
 */
public record DeliveryAudit(
    int written,
    int delivered,
    int lost,
    int phantom,
    int duplicates,
    int outOfOrder,
    int unstableIds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static DeliveryAudit of(
      Set<String> written, List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> seen = new HashSet<>();
    Map<Integer, Integer> lastSeq = new HashMap<>();
    Map<String, String> eventIds = new HashMap<>();
    int duplicates = 0;
    int outOfOrder = 0;
    int unstable = 0;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      JsonNode json = parse(r.value());
      int channel = json.get("c").asInt();
      int seq = json.get("s").asInt();
      String id = channel + ":" + seq;
      String eventId = TopicReader.header(r, EventHeaders.EVENT_ID);
      String firstId = eventIds.putIfAbsent(id, eventId);
      if (firstId != null && !firstId.equals(eventId)) {
        unstable++;
      }
      if (!seen.add(id)) {
        duplicates++;
        continue;
      }
      Integer previous = lastSeq.put(channel, seq);
      if (previous != null && seq <= previous) {
        outOfOrder++;
      }
    }
    int delivered = (int) seen.stream().filter(written::contains).count();
    int phantom = seen.size() - delivered;
    return new DeliveryAudit(
        written.size(),
        delivered,
        written.size() - delivered,
        phantom,
        duplicates,
        outOfOrder,
        unstable);
  }

  public static boolean allDelivered(
      Set<String> written, List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      JsonNode json = parse(r.value());
      seen.add(json.get("c").asInt() + ":" + json.get("s").asInt());
    }
    return seen.containsAll(written);
  }

  private static JsonNode parse(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
