package dev.zgres.consumers.replay;

import java.io.PrintStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes each record as a line of JSON ({@link RecordJson}). Give it a UTF-8 stream: the lines
 * carry text as it is.
 */
final class JsonLinesSink implements ReplaySink {
  private final PrintStream out;
  private long written;
  private boolean closed;

  JsonLinesSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    out.println(RecordJson.line(record));
    written++;
    if (written % 1024 == 0 && out.checkError()) {
      closed = true;
    }
  }

  @Override
  public boolean open() {
    return !closed;
  }

  @Override
  public Tally finish() {
    out.flush();
    closed |= out.checkError();
    return new Tally(written, 0);
  }
}
