package dev.zgres.consumers.replay;

import java.io.PrintStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Writes each record as a line of JSON ({@link RecordJson}). */
final class JsonLinesSink implements ReplaySink {
  private final PrintStream out;
  private long written;

  JsonLinesSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    out.println(RecordJson.line(record));
    written++;
  }

  @Override
  public Tally finish() {
    out.flush();
    if (out.checkError()) {
      throw new IllegalStateException("writing to standard output failed (closed pipe?)");
    }
    return new Tally(written, 0);
  }
}
