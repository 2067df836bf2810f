package dev.zgres.consumers.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class JsonLinesSinkTest {
  private static ConsumerRecord<byte[], byte[]> record(String value) {
    return new ConsumerRecord<>("t", 0, 0, null, value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesOneUtf8LinePerRecord() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
      JsonLinesSink sink = new JsonLinesSink(out);
      sink.accept(record("\"é✓\""));
      sink.accept(record("two"));
      assertThat(sink.finish()).isEqualTo(new ReplaySink.Tally(2, 0));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("\"value\":\"é✓\"");
  }

  @Test
  void aClosedOutputEndsTheReplayInsteadOfReadingOnForNothing() {
    OutputStream closedPipe =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    JsonLinesSink sink =
        new JsonLinesSink(new PrintStream(closedPipe, false, StandardCharsets.UTF_8));
    int accepted = 0;
    while (sink.open() && accepted < 10_000) {
      sink.accept(record("x"));
      accepted++;
    }
    assertThat(sink.open()).isFalse();
    assertThat(accepted).isEqualTo(1024);
  }
}
