package dev.zgres.consumers.replay;

import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.kafka.DeadLetters;
import dev.zgres.runtime.kafka.SendFailure;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes replayed records to Kafka through a producer of zgres's contract (idempotent, {@code
 * acks=all}, so order per partition holds): to one topic ({@code --to-topic}), or each dead letter
 * back to the topic it was meant for ({@code --to-original}). The key and headers are kept and
 * {@code zgres-replayed-from} added; a re-driven dead letter loses its dead-letter headers.
 *
 * <p>A dead letter that cannot be re-driven (no original topic header, a value cut to its first
 * bytes, or Kafka refusing it) is written again to the dead-letter topic with the new reason, after
 * the end offsets this replay stops at, so it is not read again by the same replay.
 */
final class Republisher implements ReplaySink {
  private static final List<String> DEAD_LETTER_HEADERS =
      List.of(
          EventHeaders.DLQ_REASON,
          EventHeaders.DLQ_TOPIC,
          EventHeaders.PAYLOAD_SIZE,
          EventHeaders.DLQ_ATTEMPTS);
  private static final int REPORTED_FAILURES = 20;

  /**
   * With {@code --to-topic}: when this many records failed before any was written, Kafka refuses
   * the target, so the replay stops. (Dead letters fail one by one, each for its own reason.)
   */
  static final int GIVE_UP_AFTER = 3;

  private final Producer<byte[], byte[]> producer;
  private final ReplayTarget target;
  private final PrintStream err;
  private final AtomicLong written = new AtomicLong();
  private final Queue<Failed> failures = new ConcurrentLinkedQueue<>();
  private long failed;
  private boolean gaveUp;

  private record Failed(ConsumerRecord<byte[], byte[]> record, String destination, String reason) {}

  Republisher(Producer<byte[], byte[]> producer, ReplayTarget target, PrintStream err) {
    this.producer = producer;
    this.target = target;
    this.err = err;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    handleFailures();
    String destination;
    if (target instanceof ReplayTarget.ToTopic to) {
      destination = to.topic();
    } else {
      destination = header(record, EventHeaders.DLQ_TOPIC);
      String refusal = refusal(record, destination);
      if (refusal != null) {
        failures.add(new Failed(record, destination, refusal));
        return;
      }
    }
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(destination, null, record.key(), record.value(), headers(record));
    String to = destination;
    try {
      producer.send(
          out,
          (metadata, error) -> {
            if (error == null) {
              written.incrementAndGet();
            } else {
              failures.add(new Failed(record, to, SendFailure.describe(error)));
            }
          });
    } catch (KafkaException e) {
      failures.add(new Failed(record, to, SendFailure.describe(e)));
    }
  }

  /**
   * False once the first records to a {@code --to-topic} all failed: Kafka refuses that topic, so
   * reading on is pointless.
   */
  @Override
  public boolean open() {
    handleFailures();
    boolean refused =
        target instanceof ReplayTarget.ToTopic && written.get() == 0 && failed >= GIVE_UP_AFTER;
    if (refused && !gaveUp) {
      gaveUp = true;
      err.println(
          "replay: the first "
              + failed
              + " record(s) all failed and none was written; stopping (is the target topic right,"
              + " and does Kafka accept it?)");
    }
    return !refused;
  }

  @Override
  public Tally finish() {
    producer.flush();
    handleFailures();
    producer.flush();
    return new Tally(written.get(), failed);
  }

  /** Why a dead letter cannot go back, or null when it can. */
  private static String refusal(ConsumerRecord<byte[], byte[]> record, String destination) {
    if (destination == null || destination.isBlank()) {
      return "no " + EventHeaders.DLQ_TOPIC + " header: not a zgres dead letter";
    }
    String size = header(record, EventHeaders.PAYLOAD_SIZE);
    int kept = record.value() == null ? 0 : record.value().length;
    if (size != null && size.matches("\\d{1,18}") && Long.parseLong(size) > kept) {
      return "the dead letter keeps only the first "
          + kept
          + " of the payload's "
          + size
          + " bytes; the payload cannot be re-driven";
    }
    return null;
  }

  private Headers headers(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = new RecordHeaders();
    for (Header h : record.headers()) {
      if (!(target instanceof ReplayTarget.ToOriginal && DEAD_LETTER_HEADERS.contains(h.key()))) {
        headers.add(h.key(), h.value());
      }
    }
    headers.add(
        EventHeaders.REPLAYED_FROM,
        (record.topic() + "/" + record.partition() + "/" + record.offset())
            .getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** Reports failures; for dead letters, writes them again to the dead-letter topic. */
  private void handleFailures() {
    Failed f;
    while ((f = failures.poll()) != null) {
      failed++;
      String where = f.record().topic() + "/" + f.record().partition() + "/" + f.record().offset();
      if (target instanceof ReplayTarget.ToOriginal) {
        String kept = deadLetterAgain(f);
        report(where + " stays in " + f.record().topic() + kept + ": " + f.reason());
      } else {
        report(where + " was not written to " + f.destination() + ": " + f.reason());
      }
    }
  }

  private String deadLetterAgain(Failed f) {
    ConsumerRecord<byte[], byte[]> r = f.record();
    String original =
        f.destination() == null || f.destination().isBlank()
            ? r.topic().substring(0, r.topic().length() - EventHeaders.DLQ_SUFFIX.length())
            : f.destination();
    try {
      producer
          .send(
              DeadLetters.of(
                  r.topic(),
                  original,
                  r.key(),
                  r.value(),
                  r.headers(),
                  "re-drive failed: " + f.reason(),
                  false))
          .get(30, TimeUnit.SECONDS);
      return " (written again with the new reason)";
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return " (only at its old offset: writing it again failed: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return " (only at its old offset: interrupted)";
    }
  }

  private void report(String line) {
    if (failed <= REPORTED_FAILURES) {
      err.println("replay: " + line);
    } else if (failed == REPORTED_FAILURES + 1) {
      err.println("replay: more failures; only counted from now on");
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
