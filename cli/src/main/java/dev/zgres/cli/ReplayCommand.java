package dev.zgres.cli;

import dev.zgres.consumers.replay.Replay;
import dev.zgres.consumers.replay.ReplayConfig;
import dev.zgres.consumers.replay.ReplayRequest;
import dev.zgres.consumers.replay.ReplaySink;
import dev.zgres.consumers.replay.ReplaySinks;
import dev.zgres.runtime.settings.SettingValues;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Read a topic between two times or offsets, up to its end offsets when the replay starts,",
      "and print each record as a line of JSON, or write it to another topic, or send dead letters",
      "back to their original topic. Exit status: 0 all written, 1 some failed, 2 bad arguments."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--topic", paramLabel = "<topic>", description = "the topic to read")
  String topic;

  @Option(
      names = "--key",
      paramLabel = "<key>",
      description = "only the records with this key (and so only its partition)")
  String key;

  @Option(
      names = "--channel-id",
      paramLabel = "<id>",
      description = "only this chat channel: --key <id>, on chat.messages unless --topic says")
  Integer channelId;

  @Option(
      names = "--since",
      paramLabel = "<time|offset>",
      description =
          "first record: an offset, an ISO-8601 time (2026-12-01T17:00:00Z) or a time relative to"
              + " now (-15m) [default: the first record Kafka holds]")
  String since;

  @Option(
      names = "--until",
      paramLabel = "<time|offset>",
      description =
          "stop before this offset or time [default: the end offsets when the replay starts]")
  String until;

  @Option(
      names = "--to-topic",
      paramLabel = "<topic>",
      description = "write the records to this topic (key and headers kept) instead of printing")
  String toTopic;

  @Option(
      names = "--to-original",
      description =
          "send each record of a *.dlq topic back to its zgres-dlq-original-topic; failures stay in"
              + " the dead-letter topic with the new reason")
  boolean toOriginal;

  /** Standard output in UTF-8 whatever the locale, buffered: one line per record. */
  private static PrintStream standardOutput() {
    return new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false,
        StandardCharsets.UTF_8);
  }

  @Override
  public Integer call() {
    PrintStream err = System.err;
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, ReplayConfig.SETTINGS, System.getenv()));
    ReplayRequest request =
        ReplayRequest.from(
            new ReplayRequest.Options(topic, key, channelId, since, until, toTopic, toOriginal),
            Instant.now());
    ReplayConfig config = ReplayConfig.from(values, request);
    values.throwIfInvalid();
    Replay replay = new Replay(config, err);
    // Standard output is flushed, never closed: the JVM (or a test harness) still owns it.
    PrintStream out = standardOutput();
    StopOnSignal signal = new StopOnSignal("replay", replay::stop, 30);
    try (ReplaySink sink = ReplaySinks.open(config, out, err)) {
      Replay.Summary summary = replay.run(sink);
      err.printf(
          "replay: %s %d record(s) read, %d written, %d failed in %.1f s (%.0f records/s)%n",
          summary.stopped() ? "stopped early:" : "done:",
          summary.read(),
          summary.written(),
          summary.failed(),
          summary.took().toMillis() / 1000.0,
          summary.perSecond());
      return summary.failed() > 0 || summary.stopped() ? 1 : 0;
    } finally {
      out.flush();
      signal.close();
    }
  }
}
