package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Bad arguments to replay and backfill: exit status 2 and the exact message, nothing read. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayBackfillArgumentsIT {
  private static PgEndpoint db;
  private static String kafka;

  @BeforeAll
  static void servers() throws Exception {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.unwatched (id int PRIMARY KEY)");
      s.execute("CREATE TABLE public.keyless (id int)");
      s.execute("SELECT zgres.watch_table('public.keyless')");
    }
  }

  private record Run(int status, String err) {}

  private static Run run(String... args) {
    CommandLine cli = ZgresMain.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    if (args[0].equals("replay")) {
      all.addAll(List.of("--kafka-bootstrap", kafka));
    } else {
      all.addAll(
          List.of(
              "--pg-url", db.jdbcUrl(), "--pg-user", db.user(), "--pg-password", db.password()));
    }
    int status = cli.execute(all.toArray(String[]::new));
    return new Run(status, err.toString());
  }

  private static void refused(Run run, String... problems) {
    assertThat(run.status()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "invalid configuration:\n  " + String.join("\n  ", problems) + System.lineSeparator());
  }

  @Test
  void replayRefusesAKeyAndAChannelAtOnce() {
    refused(
        run("replay", "--topic", "chat.messages", "--key", "4", "--channel-id", "4"),
        "--key and --channel-id cannot be used together (--channel-id N is --key N on chat.messages)");
  }

  @Test
  void replayRefusesSinceAfterUntil() {
    refused(
        run(
            "replay",
            "--topic",
            "t",
            "--since",
            "2026-12-01T12:00:00Z",
            "--until",
            "2026-12-01T11:00:00Z"),
        "--since (2026-12-01T12:00:00Z) is after --until (2026-12-01T11:00:00Z)");
    refused(
        run("replay", "--topic", "t", "--since", "yesterday"),
        "--since must be an offset (a whole number), an ISO-8601 time (2026-12-01T17:00:00Z) or a"
            + " time relative to now (-15m; units ms, s, m, h, d) (was yesterday)");
  }

  @Test
  void replayRefusesAnUnknownTopic() {
    refused(
        run("replay", "--topic", "no.such.topic"),
        "--topic names no topic in Kafka at " + kafka + " (was no.such.topic)");
  }

  @Test
  void replayToOriginalNeedsADeadLetterTopic() {
    refused(
        run("replay", "--topic", "chat.messages", "--to-original"),
        "--to-original re-drives a dead-letter topic (*.dlq), not chat.messages");
  }

  @Test
  void backfillRefusesWhatItCannotBackfill() {
    refused(run("backfill", "public.nope"), "relation \"public.nope\" does not exist");
    refused(
        run("backfill", "public.unwatched"),
        "unwatched is not watched: call zgres.watch_table('unwatched') first");
    refused(
        run("backfill", "public.keyless"),
        "keyless has no primary key: backfill reads a table in primary-key order");
    refused(
        run("backfill", "chat.messages"),
        "chat.messages needs --channel-id N: a channel's history is re-emitted as message_snapshot"
            + " events on chat_message_N");
    refused(
        run("backfill", "chat.messages", "--channel-id", "999999"),
        "no chat channel with id 999999");
    refused(
        run("backfill", "public.unwatched", "--after", "1", "--resume", "--batch-size", "0"),
        "--after and --resume cannot be used together",
        "--batch-size must be between 1 and 100000 (was 0)");
  }
}
