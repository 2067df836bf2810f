package dev.zgres.consumers.replay;

import dev.zgres.runtime.kafka.ProducerContract;
import java.io.PrintStream;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Opens the sink a replay's target needs. */
public final class ReplaySinks {
  private ReplaySinks() {}

  /** JSON lines on {@code out}, or a producer of zgres's contract for the topic targets. */
  public static ReplaySink open(ReplayConfig config, PrintStream out, PrintStream err) {
    return switch (config.request().target()) {
      case ReplayTarget.JsonLines j -> new JsonLinesSink(out);
      case ReplayTarget.ToTopic t -> producing(config, err);
      case ReplayTarget.ToOriginal o -> producing(config, err);
    };
  }

  private static ReplaySink producing(ReplayConfig config, PrintStream err) {
    return new Republisher(
        new KafkaProducer<>(
            ProducerContract.settings(
                config.bootstrap(), "zgres-replay", config.producerProperties())),
        config.request().target(),
        err);
  }
}
