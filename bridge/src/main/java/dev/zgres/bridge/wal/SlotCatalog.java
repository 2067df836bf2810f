package dev.zgres.bridge.wal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot and the publication in PostgreSQL's catalogs: look them up, create what is missing, drop
 * the slot. Runs on an ordinary connection.
 */
public final class SlotCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(SlotCatalog.class);
  private static final String DUPLICATE_OBJECT = "42710";
  private static final String UNDEFINED_OBJECT = "42704";
  private static final String OBJECT_IN_USE = "55006";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  /**
   * A slot as {@code pg_replication_slots} shows it.
   *
   * @param activePid the process streaming it, or 0 when none is
   * @param confirmedFlushLsn where a new reader resumes
   * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
   */
  public record SlotState(
      String name,
      String plugin,
      String database,
      int activePid,
      long confirmedFlushLsn,
      String walStatus) {
    public boolean active() {
      return activePid != 0;
    }
  }

  /** What {@link #drop} did. */
  public sealed interface DropOutcome {
    /** Dropped; PostgreSQL may now recycle the WAL it kept for the slot. */
    record Dropped(long retainedBytes) implements DropOutcome {}

    /** No slot has that name. */
    record Missing() implements DropOutcome {}

    /** Refused: a process (a running bridge, most likely) is streaming the slot. */
    record Active(int pid) implements DropOutcome {}
  }

  private SlotCatalog() {}

  public static Optional<SlotState> find(Connection connection, String slot) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT slot_name, plugin, database, coalesce(active_pid, 0), confirmed_flush_lsn::text, wal_status"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
      p.setString(1, slot);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String confirmed = rs.getString(5);
        return Optional.of(
            new SlotState(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                confirmed == null ? 0 : LogSequenceNumber.valueOf(confirmed).asLong(),
                rs.getString(6)));
      }
    }
  }

  /**
   * Creates the publication, empty, when it does not exist. pgoutput requires one by name even
   * though zgres reads only messages, and looks it up as of each decoded transaction: it must exist
   * before the slot is created.
   *
   * @return whether it was created now
   */
  static boolean ensurePublication(Connection connection, String publication) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      p.setString(1, publication);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE PUBLICATION \"" + publication + "\"");
      LOG.info(
          "created publication {} (empty: zgres reads logical decoding messages only)",
          publication);
      return true;
    } catch (SQLException e) {
      if (DUPLICATE_OBJECT.equals(e.getSQLState())) {
        return false;
      }
      if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
        throw new ReplicationSetupException(
            List.of(
                "publication "
                    + publication
                    + " does not exist and this role"
                    + " may not create it: have the database owner run CREATE PUBLICATION \""
                    + publication
                    + "\";"));
      }
      throw e;
    }
  }

  /**
   * Returns the slot, creating it with pgoutput in this database when missing.
   *
   * @throws ReplicationSetupException when a slot of that name exists but cannot serve (another
   *     plugin, another database, or its WAL already removed)
   */
  static SlotState ensureSlot(Connection connection, String slot) throws SQLException {
    Optional<SlotState> found = find(connection, slot);
    if (found.isEmpty()) {
      create(connection, slot);
      found = find(connection, slot);
    }
    SlotState state =
        found.orElseThrow(
            () -> new SQLException("replication slot " + slot + " vanished after creation"));
    String database = currentDatabase(connection);
    if (!"pgoutput".equals(state.plugin()) || !database.equals(state.database())) {
      throw new ReplicationSetupException(
          List.of(
              "replication slot "
                  + slot
                  + " belongs to database "
                  + state.database()
                  + " with plugin "
                  + state.plugin()
                  + ", not to "
                  + database
                  + " with pgoutput: set"
                  + " ZGRES_SLOT to another name, or drop it with zgres slot-drop --slot "
                  + slot));
    }
    if ("lost".equals(state.walStatus())) {
      throw new ReplicationSetupException(
          List.of(
              "replication slot "
                  + slot
                  + " is invalidated: PostgreSQL removed"
                  + " WAL it still needed (max_slot_wal_keep_size), so events in that WAL are gone; drop it with"
                  + " zgres slot-drop --slot "
                  + slot
                  + " and start the bridge again to create a fresh one"));
    }
    return state;
  }

  /** Creates the slot; another bridge creating it at the same moment is fine. */
  static void create(Connection connection, String slot) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
      p.setString(1, slot);
      p.execute();
      LOG.info(
          "created logical replication slot {} (pgoutput); it keeps WAL until the bridge confirms it",
          slot);
    } catch (SQLException e) {
      if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  /** Drops the slot unless a process is streaming it. */
  public static DropOutcome drop(Connection connection, String slot) throws SQLException {
    long retained;
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT coalesce(active_pid, 0), coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
      p.setString(1, slot);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return new DropOutcome.Missing();
        }
        if (rs.getInt(1) != 0) {
          return new DropOutcome.Active(rs.getInt(1));
        }
        retained = rs.getLong(2);
      }
    }
    try (PreparedStatement p = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      p.setString(1, slot);
      p.execute();
      return new DropOutcome.Dropped(retained);
    } catch (SQLException e) {
      if (UNDEFINED_OBJECT.equals(e.getSQLState())) {
        return new DropOutcome.Missing();
      }
      if (OBJECT_IN_USE.equals(e.getSQLState())) {
        return new DropOutcome.Active(find(connection, slot).map(SlotState::activePid).orElse(0));
      }
      throw e;
    }
  }

  /** Whether decoding failed because the slot holds WAL from before the publication existed. */
  static boolean isMissingPublication(SQLException e) {
    return UNDEFINED_OBJECT.equals(e.getSQLState())
        && String.valueOf(e.getMessage()).contains("publication");
  }

  /** Whether a failed START_REPLICATION means another process streams the slot. */
  static boolean isSlotInUse(SQLException e) {
    return OBJECT_IN_USE.equals(e.getSQLState());
  }

  private static String currentDatabase(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
