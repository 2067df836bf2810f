package dev.zgres.consumers.backfill;

import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.PrintStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Re-emits a source's rows through {@code zgres.emit} (see {@code sql/V018__zgres_backfill.sql}): a
 * start marker, then batches in primary-key order, each its own transaction, all reading one
 * snapshot (a {@code REPEATABLE READ} transaction held open on a second connection exports it and
 * every batch imports it), then an end marker. Each batch records how far it got in the same
 * transaction as its emits, so an interrupted run's committed progress is known exactly: a resumed
 * run counts the rows it emits a second time.
 *
 * <p>Live changes keep flowing meanwhile: batches only read the table. {@link #stop()} (from a
 * signal) ends the run after the batch in hand.
 */
public final class Backfill {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  private static final Set<String> BAD_ARGUMENT_STATES =
      Set.of("42P01", "42704", "42P16", "55000", "P0002", "22P02", "22023", "22007", "22008");

  private final PgEndpoint database;
  private final BackfillRequest request;
  private final PrintStream err;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** What a run did. */
  public record Summary(
      String source,
      long emitted,
      long repeated,
      int batches,
      List<String> lastKey,
      Duration took,
      boolean stopped) {
    public double perSecond() {
      return emitted / Math.max(0.001, took.toNanos() / 1e9);
    }
  }

  public Backfill(PgEndpoint database, BackfillRequest request, PrintStream err) {
    this.database = database;
    this.request = request;
    this.err = err;
  }

  /** Ends the run after the batch in hand; the summary says where to resume. */
  public void stop() {
    stopping.set(true);
  }

  /**
   * Runs the backfill.
   *
   * @throws ConfigException for a table that does not exist, is not watched, has no primary key, an
   *     unknown chat channel or a bad {@code --after}, before anything is emitted
   */
  public Summary run() throws SQLException, InterruptedException {
    long started = System.nanoTime();
    try (Connection work = PgConnections.open(database, "zgres-backfill", 0);
        Connection holder = PgConnections.open(database, "zgres-backfill-snapshot", 0)) {
      int keyColumns = keyColumns(work);
      List<String> after = request.after() == null ? null : parseAfter(request.after(), keyColumns);
      Begun run = begin(work);
      if (request.resume()) {
        if (run.interruptedAt() == null) {
          err.printf(
              "backfill %s: no interrupted run to resume; starting from the first row%n",
              run.source());
        }
        after = run.interruptedAt();
      }
      if (run.interruptedAt() != null) {
        err.printf(
            "backfill %s: the previous run was interrupted after key %s; rows up to it that this"
                + " run emits are counted as emitted again%n",
            run.source(), BackfillKey.format(run.interruptedAt()));
      }
      holder.setAutoCommit(false);
      holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      String snapshot;
      String snapshotAt;
      try (Statement s = holder.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), now()::text")) {
        rs.next();
        snapshot = rs.getString(1);
        snapshotAt = rs.getString(2);
      }
      if (!snapshot.matches("[0-9A-Fa-f-]+")) {
        throw new IllegalStateException("unexpected snapshot id " + snapshot);
      }
      work.setAutoCommit(false);
      work.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Pacer pacer = new Pacer(request.rate());
      long emitted = 0;
      long repeated = 0;
      int batches = 0;
      List<String> lastKey = after;
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (!stopping.get()) {
        Batch batch = batch(work, snapshot, run.id(), lastKey, run.interruptedAt(), snapshotAt);
        if (batch.emitted() == 0) {
          break;
        }
        batches++;
        emitted += batch.emitted();
        repeated += batch.repeated();
        lastKey = batch.lastKey();
        if (System.nanoTime() > nextProgress) {
          nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
          err.printf(
              "backfill %s: %d row(s) emitted (%.0f/s); to resume: --after %s%n",
              run.source(),
              emitted,
              emitted / Math.max(0.001, (System.nanoTime() - started) / 1e9),
              BackfillKey.shellWord(lastKey));
        }
        Thread.sleep(pacer.pauseMillis(emitted, System.nanoTime() - started));
      }
      holder.commit();
      work.setAutoCommit(true);
      work.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      boolean stopped = stopping.get();
      if (!stopped) {
        try (PreparedStatement end = work.prepareStatement("SELECT zgres.backfill_end(?)")) {
          end.setLong(1, run.id());
          end.execute();
        }
      }
      return new Summary(
          run.source(),
          emitted,
          repeated,
          batches,
          lastKey,
          Duration.ofNanos(System.nanoTime() - started),
          stopped);
    }
  }

  private record Begun(long id, String source, List<String> interruptedAt) {}

  private record Batch(int emitted, int repeated, List<String> lastKey) {}

  private int keyColumns(Connection c) throws SQLException {
    if (request.source() instanceof BackfillSource.Table table) {
      try (PreparedStatement p =
          c.prepareStatement("SELECT count(*) FROM zgres.primary_key(?::regclass)")) {
        p.setString(1, table.name());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      } catch (SQLException e) {
        throw badArgument(e);
      }
    }
    return 1;
  }

  private static List<String> parseAfter(String text, int keyColumns) {
    try {
      return BackfillKey.parse(text, Math.max(1, keyColumns));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("--after " + e.getMessage()));
    }
  }

  private Begun begin(Connection c) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT * FROM zgres.backfill_begin(?::regclass, ?)")) {
      if (request.source() instanceof BackfillSource.Table table) {
        p.setString(1, table.name());
        p.setNull(2, java.sql.Types.INTEGER);
      } else if (request.source() instanceof BackfillSource.ChatChannel channel) {
        p.setNull(1, java.sql.Types.VARCHAR);
        p.setInt(2, channel.channelId());
      }
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new Begun(
            rs.getLong("run_id"), rs.getString("source"), textArray(rs.getArray("interrupted_at")));
      }
    } catch (SQLException e) {
      throw badArgument(e);
    }
  }

  private Batch batch(
      Connection c,
      String snapshot,
      long run,
      List<String> after,
      List<String> repeatUpTo,
      String snapshotAt)
      throws SQLException {
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
      }
      Batch batch;
      try (PreparedStatement p =
          c.prepareStatement("SELECT * FROM zgres.backfill_batch(?, ?, ?, ?, ?::timestamptz)")) {
        p.setLong(1, run);
        p.setArray(2, after == null ? null : c.createArrayOf("text", after.toArray()));
        p.setInt(3, request.batchSize());
        p.setArray(4, repeatUpTo == null ? null : c.createArrayOf("text", repeatUpTo.toArray()));
        p.setString(5, snapshotAt);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          batch =
              new Batch(
                  rs.getInt("emitted"), rs.getInt("repeated"), textArray(rs.getArray("last_key")));
        }
      }
      c.commit();
      return batch;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private static List<String> textArray(Array array) throws SQLException {
    return array == null ? null : Arrays.asList((String[]) array.getArray());
  }

  /** A refusal caused by the arguments (no such table, not watched, ...) is exit status 2. */
  private static SQLException badArgument(SQLException e) {
    if (e.getSQLState() != null && BAD_ARGUMENT_STATES.contains(e.getSQLState())) {
      String message = e.getMessage();
      int newline = message.indexOf('\n');
      throw new ConfigException(
          List.of((newline < 0 ? message : message.substring(0, newline)).replace("ERROR: ", "")));
    }
    return e;
  }
}
