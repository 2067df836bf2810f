package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.runtime.kafka.ProducerContract;
import dev.zgres.testkit.TestServers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** bin/zgres replay as a user runs it: a process whose standard output is piped to a file. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printsUtf8JsonLinesWhateverTheLocaleAndExitsZero() throws Exception {
    String kafka = TestServers.kafkaBootstrap();
    String topic = "replay-process-" + UUID.randomUUID().toString().substring(0, 8);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(ProducerContract.settings(kafka, "replay-process-it", Map.of()))) {
      for (String value : List.of("{\"text\":\"héllo ✓ 🙂\"}", "plain text é")) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    "k".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)))
            .get(30, TimeUnit.SECONDS);
      }
    }
    Path out = Files.createTempFile("zgres-replay", ".jsonl");
    Path err = Files.createTempFile("zgres-replay", ".err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the launcher's own logging set-up (to standard error), not the tests' (to standard output)
    command.add("-Dlogback.configurationFile=logback.xml");
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ZgresMain.class.getName()));
    command.addAll(List.of("replay", "--topic", topic, "--kafka-bootstrap", kafka));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ZGRES_") || k.startsWith("LC_"));
    builder.environment().put("LANG", "C");
    builder.directory(new File(System.getProperty("java.io.tmpdir")));
    Process replay = builder.start();
    assertThat(replay.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String errors = Files.readString(err);
    assertThat(replay.exitValue()).as(errors).isZero();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.path("value").path("text").asText()).isEqualTo("héllo ✓ 🙂");
    assertThat(JSON.readTree(lines.get(1)).path("value").asText()).isEqualTo("plain text é");
    assertThat(errors).contains("replay: done: 2 record(s) read, 2 written, 0 failed");
  }
}
