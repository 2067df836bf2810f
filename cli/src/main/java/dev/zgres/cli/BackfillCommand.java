package dev.zgres.cli;

import dev.zgres.consumers.backfill.Backfill;
import dev.zgres.consumers.backfill.BackfillKey;
import dev.zgres.consumers.backfill.BackfillRequest;
import dev.zgres.consumers.backfill.BackfillSource;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Emit the current rows of a table watched with zgres.watch_table as SNAPSHOT events (same",
      "channels, columns and routes as its changes), from one snapshot, in primary-key batches.",
      "chat.messages --channel-id N re-emits a channel's history as message_snapshot events.",
      "Exit status: 0 done, 1 failed or stopped, 2 bad arguments."
    })
final class BackfillCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS = CommonSettings.POSTGRES;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TABLE", description = "the table, e.g. public.orders")
  String table;

  @Option(
      names = "--channel-id",
      paramLabel = "<id>",
      description = "with chat.messages: the chat channel whose history to re-emit")
  Integer channelId;

  @Option(
      names = "--after",
      paramLabel = "<key>",
      description = "start after this primary key, as progress lines print it")
  String after;

  @Option(
      names = "--resume",
      description = "start after the key the previous, interrupted, run of this table reached")
  boolean resume;

  @Option(
      names = "--batch-size",
      paramLabel = "<rows>",
      defaultValue = "500",
      description = "rows per transaction [default: ${DEFAULT-VALUE}]")
  int batchSize;

  @Option(
      names = "--rate",
      paramLabel = "<rows/s>",
      defaultValue = "0",
      description = "at most this many rows per second; 0 for no limit [default: ${DEFAULT-VALUE}]")
  int rate;

  @Override
  public Integer call() throws Exception {
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, SETTINGS, System.getenv()));
    PgEndpoint database = CommonSettings.postgres(values);
    values.throwIfInvalid();
    BackfillRequest request =
        new BackfillRequest(BackfillSource.of(table, channelId), after, resume, batchSize, rate);
    Backfill backfill = new Backfill(database, request, System.err);
    StopOnSignal signal = new StopOnSignal("backfill", backfill::stop, 60);
    try {
      Backfill.Summary s = backfill.run();
      System.out.printf(
          "backfill %s: %s %d row(s) emitted in %d batch(es), %.1f s (%.0f rows/s); %d of them"
              + " emitted again (already emitted by an interrupted run)%s%n",
          s.source(),
          s.stopped() ? "stopped:" : "done:",
          s.emitted(),
          s.batches(),
          s.took().toMillis() / 1000.0,
          s.perSecond(),
          s.repeated(),
          s.stopped() && s.lastKey() != null
              ? "; to resume: --after " + BackfillKey.shellWord(s.lastKey()) + " (or --resume)"
              : "");
      System.out.flush();
      return s.stopped() ? 1 : 0;
    } finally {
      signal.close();
    }
  }
}
