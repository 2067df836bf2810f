package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.backfill.Backfill;
import dev.zgres.consumers.backfill.BackfillRequest;
import dev.zgres.consumers.backfill.BackfillSource;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.Await;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/zgres backfill end to end: rows re-emitted through zgres.emit, carried by a real bridge into
 * Kafka. Here rather than in consumers/ because it needs a bridge, which consumers must not depend
 * on; the cli module has the bridge and its test kit.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BackfillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static String channel() {
    return "backfill_it_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
  }

  private static void sql(PgEndpoint db, String... statements) throws Exception {
    try (Connection c = TestServers.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
    try {
      return JSON.readTree(r.value());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + TopicReader.text(r.value()), e);
    }
  }

  private static Backfill.Summary backfill(PgEndpoint db, BackfillRequest request)
      throws Exception {
    Backfill.Summary summary = new Backfill(db, request, System.err).run();
    System.out.printf(
        "backfill %s: %d rows in %d ms = %.0f rows/s (%d emitted again)%n",
        summary.source(),
        summary.emitted(),
        summary.took().toMillis(),
        summary.perSecond(),
        summary.repeated());
    return summary;
  }

  @Test
  void tenThousandRowsUnderConcurrentUpdatesArriveOnceEachAsSnapshotPlusEveryUpdate()
      throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    String channel = channel();
    sql(
        db,
        "CREATE TABLE public.items (id int PRIMARY KEY, n int NOT NULL, label text)",
        "INSERT INTO public.items SELECT g, 0, 'item ' || g FROM generate_series(1, 10000) g",
        // one row over NOTIFY's 8000 bytes: zgres.emit spills it, the bridge fetches it
        "UPDATE public.items SET label = repeat('x', 9000) WHERE id = 4321",
        "SELECT zgres.watch_table('public.items', NULL, '" + channel + "')");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger updates = new AtomicInteger();
    try (Bridge bridge = Bridges.start(db, kafka, Map.of("ZGRES_CHANNELS", channel))) {
      Thread writer =
          new Thread(
              () -> {
                try (Connection c = TestServers.connect(db);
                    Statement s = c.createStatement()) {
                  while (writing.get()) {
                    int id = ThreadLocalRandom.current().nextInt(1, 10_001);
                    s.executeUpdate("UPDATE public.items SET n = n + 1 WHERE id = " + id);
                    updates.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "backfill-it-writer");
      writer.start();
      Await.until("some updates before the backfill", WAIT, () -> updates.get() >= 50);
      Backfill.Summary summary;
      long started = System.nanoTime();
      try {
        summary =
            backfill(
                db,
                new BackfillRequest(new BackfillSource.Table("public.items"), null, false, 500, 0));
        int atEnd = updates.get();
        Await.until("some updates after the backfill", WAIT, () -> updates.get() >= atEnd + 50);
      } finally {
        writing.set(false);
        writer.join(10_000);
      }
      assertThat(summary.emitted()).isEqualTo(10_000);
      int expected = 10_000 + 2 + updates.get();
      try (TopicReader reader = new TopicReader(kafka, channel)) {
        List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(expected, WAIT);
        assertThat(records).hasSize(expected);
        System.out.printf(
            "backfill into Kafka: 10,000 rows read back from the topic %d ms after the backfill"
                + " started%n",
            (System.nanoTime() - started) / 1_000_000);
        List<JsonNode> events = records.stream().map(BackfillIT::json).toList();
        Map<Integer, Integer> snapshots = new HashMap<>();
        int updateEvents = 0;
        int start = -1;
        int end = -1;
        for (int i = 0; i < events.size(); i++) {
          JsonNode e = events.get(i);
          switch (e.path("operation").asText()) {
            case "SNAPSHOT" -> snapshots.merge(e.path("data").path("id").asInt(), 1, Integer::sum);
            case "UPDATE" -> updateEvents++;
            case "SNAPSHOT_START" -> start = i;
            case "SNAPSHOT_END" -> end = i;
            default -> throw new AssertionError("unexpected event " + e);
          }
        }
        assertThat(snapshots).hasSize(10_000);
        assertThat(snapshots.values()).containsOnly(1);
        assertThat(updateEvents).isEqualTo(updates.get());
        assertThat(start).isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(start);
        JsonNode big =
            events.stream()
                .filter(e -> e.path("operation").asText().equals("SNAPSHOT"))
                .filter(e -> e.path("data").path("id").asInt() == 4321)
                .findFirst()
                .orElseThrow();
        assertThat(big.path("data").path("label").asText()).hasSize(9000);
        assertThat(big.path("schema").asText()).isEqualTo("public");
        assertThat(big.path("table").asText()).isEqualTo("items");

        // The README's rule: from the start marker on, a row's snapshot is skipped once a change
        // of that row was seen; applying the stream so gives the table as it is now.
        Map<Integer, Integer> state = new HashMap<>();
        java.util.Set<Integer> changed = new java.util.HashSet<>();
        for (JsonNode e : events.subList(start, events.size())) {
          int id = e.path("data").path("id").asInt();
          switch (e.path("operation").asText()) {
            case "SNAPSHOT" -> {
              if (!changed.contains(id)) {
                state.put(id, e.path("data").path("n").asInt());
              }
            }
            case "UPDATE" -> {
              changed.add(id);
              state.put(id, e.path("data").path("n").asInt());
            }
            default -> {}
          }
        }
        Map<Integer, Integer> table = new HashMap<>();
        try (Connection c = TestServers.connect(db);
            ResultSet rs = c.createStatement().executeQuery("SELECT id, n FROM public.items")) {
          while (rs.next()) {
            table.put(rs.getInt(1), rs.getInt(2));
          }
        }
        assertThat(state).isEqualTo(table);
        System.out.printf(
            "backfill under writers: %d snapshot rows, %d updates interleaved%n",
            snapshots.size(), updateEvents);
      }
    }
  }

  @Test
  void inWalModeTheRowsGoThroughTheSlot() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    String channel = channel();
    String slot =
        "zgres_backfill_it_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    String database = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
    sql(
        db,
        "ALTER DATABASE " + database + " SET zgres.transport = 'wal'",
        "CREATE TABLE public.accounts (region text, id int, balance numeric, PRIMARY KEY (region, id))",
        "INSERT INTO public.accounts SELECT CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g, g * 1.5"
            + " FROM generate_series(1, 2000) g",
        "SELECT zgres.watch_table('public.accounts', ARRAY['region', 'id', 'balance'], '"
            + channel
            + "')");
    try (Bridge bridge =
        Bridges.start(
            db,
            kafka,
            Map.of("ZGRES_SOURCE", "wal", "ZGRES_SLOT", slot, "ZGRES_CHANNELS", channel))) {
      Backfill.Summary summary =
          backfill(
              db,
              new BackfillRequest(
                  new BackfillSource.Table("public.accounts"), null, false, 300, 0));
      assertThat(summary.emitted()).isEqualTo(2000);
      assertThat(summary.lastKey()).containsExactly("us", "1999");
      try (TopicReader reader = new TopicReader(kafka, channel)) {
        List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(2002, WAIT);
        assertThat(records).hasSize(2002);
        assertThat(records)
            .allSatisfy(r -> assertThat(TopicReader.header(r, "zgres-source")).isEqualTo("wal"));
        List<JsonNode> rows =
            records.stream()
                .map(BackfillIT::json)
                .filter(e -> e.path("operation").asText().equals("SNAPSHOT"))
                .toList();
        assertThat(rows).hasSize(2000);
        assertThat(rows.get(0).path("data").path("region").asText()).isEqualTo("eu");
        assertThat(rows.get(0).path("data").path("id").asInt()).isEqualTo(2);
        assertThat(rows.get(1999).path("data").path("id").asInt()).isEqualTo(1999);
      }
    } finally {
      sql(
          db,
          "SELECT pg_drop_replication_slot('"
              + slot
              + "') FROM pg_replication_slots WHERE slot_name = '"
              + slot
              + "' AND NOT active");
    }
  }

  @Test
  void anInterruptedBackfillResumedDeliversEveryRowAtLeastOnceAndSaysHowManyTwice()
      throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    String channel = channel();
    sql(
        db,
        "CREATE TABLE public.tickets (id bigint PRIMARY KEY, title text)",
        "INSERT INTO public.tickets SELECT g, 'ticket ' || g FROM generate_series(1, 6000) g",
        "SELECT zgres.watch_table('public.tickets', ARRAY['id', 'title'], '" + channel + "')");
    try (Bridge bridge = Bridges.start(db, kafka, Map.of("ZGRES_CHANNELS", channel))) {
      Path log = Files.createTempFile("zgres-backfill", ".log");
      Process child =
          launch(db, log, "backfill", "public.tickets", "--rate", "1000", "--batch-size", "50");
      String printedAfter;
      try {
        Pattern progress = Pattern.compile("to resume: --after (\\d+)");
        Await.until(
            "a progress line from the backfill process",
            WAIT,
            () -> progress.matcher(Files.readString(log)).find());
        Matcher m = progress.matcher(Files.readString(log));
        m.find();
        printedAfter = m.group(1);
        long printed = Long.parseLong(printedAfter);
        Await.until(
            "batches committed past the printed key",
            WAIT,
            () -> committedUpTo(db) >= printed + 300);
        child.destroyForcibly(); // SIGKILL: no chance to finish a batch or print anything
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      long reached = committedUpTo(db);
      System.out.println(Files.readString(log));

      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Backfill.Summary resumed =
          new Backfill(
                  db,
                  new BackfillRequest(
                      new BackfillSource.Table("public.tickets"), printedAfter, false, 500, 0),
                  new PrintStream(err, true, StandardCharsets.UTF_8))
              .run();
      String messages = err.toString(StandardCharsets.UTF_8);
      System.out.print(messages);
      assertThat(messages)
          .contains(
              "backfill public.tickets: the previous run was interrupted after key "
                  + reached
                  + "; rows up to it that this run emits are counted as emitted again");
      assertThat(resumed.repeated()).isEqualTo(reached - Long.parseLong(printedAfter));
      assertThat(resumed.emitted()).isEqualTo(6000 - Long.parseLong(printedAfter));

      try (TopicReader reader = new TopicReader(kafka, channel)) {
        long total = reached + resumed.emitted();
        List<ConsumerRecord<byte[], byte[]>> records =
            reader.await(
                r -> json(r).path("operation").asText().equals("SNAPSHOT"), (int) total, WAIT);
        assertThat(records).hasSize((int) total);
        Map<Long, Integer> seen = new HashMap<>();
        records.forEach(r -> seen.merge(json(r).path("data").path("id").asLong(), 1, Integer::sum));
        assertThat(seen).hasSize(6000);
        long twice = seen.values().stream().filter(n -> n == 2).count();
        assertThat(seen.values()).containsOnly(1, 2);
        assertThat(twice).isEqualTo(resumed.repeated()).isPositive();
        System.out.printf(
            "interrupted after key %s was printed (committed up to %d); resumed: %d rows, %d twice%n",
            printedAfter, reached, resumed.emitted(), twice);
      }
    }
  }

  /** The highest id the backfill's committed batches reached (0 for none). */
  private static long committedUpTo(PgEndpoint db) throws Exception {
    try (Connection c = TestServers.connect(db);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT coalesce(max(last_key[1]::bigint), 0) FROM zgres.backfill_batches")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aChatChannelsHistoryIsReEmittedInOrderAsMessageSnapshots() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    String kafka = TestServers.kafkaBootstrap();
    int channelId;
    List<Long> messageIds = new ArrayList<>();
    try (dev.zgres.testkit.ChatApi chat = dev.zgres.testkit.ChatApi.connect(db)) {
      chat.connection()
          .createStatement()
          .execute(
              "SELECT setval('chat.channels_id_seq', "
                  + (100_000 + ThreadLocalRandom.current().nextInt(1_000_000))
                  + ")");
      int alice = chat.newUser("alice");
      int bob = chat.newUser("bob");
      channelId = chat.createChannel(alice, "history", "public", alice, bob);
      int other = chat.createChannel(alice, "other", "public", alice, bob);
      for (int i = 0; i < 30; i++) {
        messageIds.add(chat.postMessage(i % 2 == 0 ? alice : bob, channelId, "message " + i));
        chat.postMessage(alice, other, "elsewhere " + i);
      }
      chat.connection()
          .createStatement()
          .execute("SELECT chat.edit_message(" + alice + ", " + messageIds.get(4) + ", 'edited')");
      chat.connection()
          .createStatement()
          .execute("SELECT chat.delete_message(" + bob + ", " + messageIds.get(5) + ")");
      chat.connection()
          .createStatement()
          .execute("SELECT chat.add_reaction(" + bob + ", " + messageIds.get(0) + ", 'thumbs up')");
    }
    try (Bridge bridge = Bridges.start(db, kafka, Map.of())) {
      Backfill.Summary summary =
          backfill(
              db,
              new BackfillRequest(new BackfillSource.ChatChannel(channelId), null, false, 7, 0));
      assertThat(summary.emitted()).isEqualTo(30);
      String key = String.valueOf(channelId);
      try (TopicReader reader = new TopicReader(kafka, "chat.messages")) {
        reader.await(
            r ->
                key.equals(TopicReader.text(r.key()))
                    && json(r).path("event").asText().equals("snapshot_finished"),
            1,
            WAIT);
        List<JsonNode> snapshots =
            reader.records().stream()
                .filter(r -> key.equals(TopicReader.text(r.key())))
                .map(BackfillIT::json)
                .filter(e -> e.path("event").asText().contains("snapshot"))
                .toList();
        assertThat(snapshots).hasSize(32);
        assertThat(snapshots.get(0).path("event").asText()).isEqualTo("snapshot_started");
        assertThat(snapshots.get(31).path("event").asText()).isEqualTo("snapshot_finished");
        assertThat(snapshots.get(31).path("messages").asInt()).isEqualTo(30);
        List<JsonNode> messages = snapshots.subList(1, 31);
        assertThat(messages)
            .allSatisfy(m -> assertThat(m.path("event").asText()).isEqualTo("message_snapshot"));
        assertThat(messages)
            .extracting(m -> m.path("message_id").asLong())
            .containsExactlyElementsOf(messageIds);
        assertThat(messages.get(0).path("reactions").get(0).path("reaction").asText())
            .isEqualTo("thumbs up");
        assertThat(messages.get(4).path("content").asText()).isEqualTo("edited");
        assertThat(messages.get(4).path("edited_at").isNull()).isFalse();
        assertThat(messages.get(5).path("content").isNull()).isTrue();
        assertThat(messages.get(5).path("deleted_at").isNull()).isFalse();
        assertThat(messages.get(7).path("content").asText()).isEqualTo("message 7");
        assertThat(messages.get(7).path("username").asText()).startsWith("bob");
      }
    }
  }

  static Process launch(PgEndpoint db, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ZgresMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ZGRES_"));
    builder.environment().put("ZGRES_PG_URL", db.jdbcUrl());
    builder.environment().put("ZGRES_PG_USER", db.user());
    builder.environment().put("ZGRES_PG_PASSWORD", db.password());
    builder.directory(new File(System.getProperty("java.io.tmpdir")));
    return builder.start();
  }
}
