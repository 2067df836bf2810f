package dev.zgres.bridge.flow;

import static dev.zgres.testkit.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.metrics.BridgeMeters;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an operator sees: /metrics, /health, and a shutdown that loses nothing it holds. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ObservabilityIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void metricsEndpointShowsTheBridgesMetersButNoPayloadContent() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    try (Bridge bridge =
        Bridges.start(db, kafka, Map.of("ZGRES_CHANNELS", "metrics_it,websocket_event"))) {
      ResilienceIT.emit(db, "metrics_it", "{\"secret\":\"s3cr3t-payload-marker\"}");
      ResilienceIT.emit(db, "websocket_event", "{\"no_channel\":\"s3cr3t-payload-marker\"}");
      Await.until(
          "both records to be acknowledged or dead-lettered",
          WAIT,
          () -> ResilienceIT.counter(bridge, BridgeMeters.PUBLISHED) >= 2);

      HttpResponse<String> metrics = Bridges.get(bridge.metricsPort(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("zgres_events_received_total{channel=\"metrics_it\",source=\"notify\"} 1.0")
          .contains("zgres_records_published_total{topic=\"metrics_it\"} 1.0")
          .contains("zgres_records_dead_lettered_total{topic=\"chat.websocket_events\"} 1.0")
          .contains("zgres_publish_latency_seconds_bucket{")
          .contains("zgres_publish_latency_seconds_count 2")
          .contains("zgres_source_reconnects_total{source=\"notify\"} 0.0")
          .contains("zgres_listen_gaps_total 0.0")
          .contains("zgres_listen_connected 1.0")
          .contains("zgres_listen_channels 4.0")
          .contains("zgres_pg_notification_queue_usage ")
          .contains("zgres_backlog_capacity 10000.0")
          .contains("zgres_backpressure_active 0.0")
          .contains("kafka_producer_record_send_total")
          .contains("jvm_memory_used_bytes")
          .contains("process_cpu_usage")
          .doesNotContain("s3cr3t-payload-marker");

      HttpResponse<String> health = Bridges.get(bridge.metricsPort(), "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode json = new ObjectMapper().readTree(health.body());
      assertThat(json.get("status").asText()).isEqualTo("UP");
      assertThat(json.get("role").asText()).isEqualTo("active");
      assertThat(json.get("connected").asBoolean()).isTrue();
      assertThat(json.get("source").asText()).isEqualTo("notify");
    }
  }

  @Test
  void closeFlushesEverythingItReceivedBeforeReturning() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    // A long linger keeps acknowledged-by-nobody records in the producer when close() begins.
    Bridge bridge =
        Bridges.start(
            db,
            kafka,
            Map.of("ZGRES_CHANNELS", "shutdown_it", "ZGRES_PRODUCER_PROPERTIES", "linger.ms=5000"));
    try (Connection c = TestServers.connect(db);
        PreparedStatement p = c.prepareStatement("SELECT zgres.emit('shutdown_it', ?)")) {
      for (int i = 0; i < 300; i++) {
        p.setString(1, "n" + i);
        p.execute();
      }
    }
    Await.until(
        "the listener to receive all 300",
        WAIT,
        () ->
            bridge.registry().find(BridgeMeters.RECEIVED).counter() != null
                && bridge.registry().find(BridgeMeters.RECEIVED).counter().count() == 300);
    assertThat(ResilienceIT.counter(bridge, BridgeMeters.PUBLISHED)).isLessThan(300);
    bridge.close();
    try (TopicReader records = new TopicReader(kafka, List.of("shutdown_it"))) {
      assertThat(records.await(r -> true, 300, WAIT))
          .hasSize(300)
          .extracting(r -> text(r.value()))
          .startsWith("n0", "n1");
    }
  }
}
