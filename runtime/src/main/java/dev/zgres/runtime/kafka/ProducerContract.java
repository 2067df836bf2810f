package dev.zgres.runtime.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer settings of zgres's delivery contract, for every process that produces: idempotent,
 * {@code acks=all}, keys and values as bytes, carried verbatim. Users may add settings (TLS, SASL,
 * tuning) but not change these.
 *
 * <p>Batching defaults: no linger, and one request in flight per broker. A record that finds the
 * connection idle leaves at once; records that come while a request is in flight wait for its
 * response and then leave together in the next request. Batches therefore grow with the load (one
 * record at a trickle, a round trip's worth under load) instead of every record waiting out a fixed
 * {@code linger.ms}. Ordering is unaffected (idempotence keeps it with up to five in flight); the
 * larger {@code batch.size} keeps one round trip from capping throughput on a distant broker.
 */
public final class ProducerContract {
  /** Producer settings a user may not override: they are the delivery contract. */
  public static final List<String> FIXED =
      List.of(
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private ProducerContract() {}

  /**
   * The settings of a producer named {@code clientId}: zgres's defaults, then {@code extra} (a
   * user's, checked with {@link KafkaProperties#parse}), then the fixed contract.
   */
  public static Map<String, Object> settings(
      String bootstrap, String clientId, Map<String, String> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.putAll(extra);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
