package dev.zgres.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.consume.ConsumerLoop;
import dev.zgres.consumers.consume.ConsumerMeters;
import dev.zgres.consumers.consume.LoopConfig;
import dev.zgres.consumers.consume.Outcome;
import dev.zgres.consumers.consume.RetryPolicy;
import dev.zgres.runtime.operations.HealthReport;
import dev.zgres.runtime.operations.MetricsServer;
import dev.zgres.runtime.operations.ProcessMeters;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The consumer-loop meters the dashboard reads ({@code zgres_consumer_*}), scraped from a real
 * consumer loop served the way every consumer process serves its meters. It holds the dashboard to
 * the loop's names before any worker process exists; {@link DeploymentIT} then checks each worker's
 * own scrape.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsumerLoopMetersIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void everyConsumerLoopMetricTheDashboardReadsIsInALiveLoopsScrape() throws Exception {
    Set<String> wanted = new TreeSet<>();
    for (Dashboard.Query query : Dashboard.load().queries()) {
      query.metrics().stream().filter(m -> m.startsWith("zgres_consumer_")).forEach(wanted::add);
    }
    assertThat(wanted).as("the dashboard reads consumer-loop meters").isNotEmpty();

    String kafka = TestServers.kafkaBootstrap();
    String topic = "deploy.consumer-meters";
    LoopConfig config =
        new LoopConfig(
            kafka,
            "zgres-deploy-check",
            List.of(topic),
            Map.of(),
            new RetryPolicy(1, Duration.ZERO, Duration.ZERO),
            1_000,
            Duration.ofSeconds(5));
    try (ProcessMeters meters = new ProcessMeters();
        ConsumerLoop loop =
            new ConsumerLoop(
                    "deploy-check",
                    config,
                    r ->
                        new String(r.value(), StandardCharsets.UTF_8).equals("bad")
                            ? Outcome.deadLetter("not handleable")
                            : Outcome.DONE,
                    new ConsumerMeters(meters.registry(), config.group()),
                    Map.of())
                .start();
        MetricsServer server = meters.serve(0, () -> new HealthReport(true, Map.of()));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      Await.until("the consumer loop to poll", WAIT, loop::polling);
      for (String value : List.of("ok", "ok", "bad", "ok")) {
        producer.send(new ProducerRecord<>(topic, "k", value)).get();
      }
      HttpClient http = HttpClient.newHttpClient();
      for (String metric : wanted) {
        Await.until(
            "the consumer loop to expose " + metric,
            WAIT,
            () -> {
              String body =
                  http.send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body();
              return body.lines()
                  .anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "));
            });
      }
    }
  }
}
