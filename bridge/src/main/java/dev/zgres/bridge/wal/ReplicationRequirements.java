package dev.zgres.bridge.wal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the wal source needs from PostgreSQL, checked before it touches a slot: a server new enough
 * for logical messages through pgoutput, {@code wal_level = logical}, room for a slot and a WAL
 * sender, and a role allowed to replicate. Each problem says what to change.
 */
final class ReplicationRequirements {
  static final int MIN_SERVER_VERSION = 140_000;

  private ReplicationRequirements() {}

  /**
   * @throws ReplicationSetupException listing every unmet requirement
   */
  static void check(Connection connection) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('server_version_num')::int, current_setting('server_version'),"
                    + " current_setting('wal_level'),"
                    + " current_setting('max_replication_slots')::int,"
                    + " current_setting('max_wal_senders')::int,"
                    + " current_user, r.rolsuper, r.rolreplication"
                    + " FROM pg_roles r WHERE r.rolname = current_user")) {
      if (!rs.next()) {
        throw new SQLException("cannot read the role of the current user");
      }
      if (rs.getInt(1) < MIN_SERVER_VERSION) {
        problems.add(
            "PostgreSQL 14 or newer is needed to read logical decoding messages through pgoutput"
                + " (this server is "
                + rs.getString(2)
                + "); use ZGRES_SOURCE=notify with it");
      }
      String walLevel = rs.getString(3);
      if (!"logical".equals(walLevel)) {
        problems.add(
            "wal_level must be logical (is "
                + walLevel
                + "): run ALTER SYSTEM SET wal_level = logical;"
                + " as a superuser, then restart PostgreSQL");
      }
      int slots = rs.getInt(4);
      if (slots < 1) {
        problems.add(
            "max_replication_slots must be at least 1 (is "
                + slots
                + "): run ALTER SYSTEM SET"
                + " max_replication_slots = 10; then restart PostgreSQL");
      }
      int senders = rs.getInt(5);
      if (senders < 1) {
        problems.add(
            "max_wal_senders must be at least 1 (is "
                + senders
                + "): run ALTER SYSTEM SET"
                + " max_wal_senders = 10; then restart PostgreSQL");
      }
      String role = rs.getString(6);
      if (!rs.getBoolean(7) && !rs.getBoolean(8)) {
        problems.add(
            "role "
                + role
                + " may not use replication: run ALTER ROLE "
                + quote(role)
                + " REPLICATION; as a superuser (or connect as a role that has it), and allow it in"
                + " pg_hba.conf if needed");
      }
    }
    if (!problems.isEmpty()) {
      throw new ReplicationSetupException(problems);
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
