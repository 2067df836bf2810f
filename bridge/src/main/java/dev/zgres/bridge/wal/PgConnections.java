package dev.zgres.bridge.wal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens the wal source's connections: ordinary ones for queries, and the replication one. */
public final class PgConnections {
  private PgConnections() {}

  /** An ordinary connection in autocommit, with a read timeout so a dead server is noticed. */
  public static Connection ordinary(String url, String user, String password, String application)
      throws SQLException {
    Properties props = common(user, password, application);
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(url, props);
  }

  /**
   * A replication connection ({@code replication=database}) to stream a logical slot. pgjdbc needs
   * the simple query protocol for the replication commands.
   */
  static Connection replication(String url, String user, String password) throws SQLException {
    Properties props = common(user, password, "zgres-bridge-wal");
    props.setProperty("replication", "database");
    props.setProperty("assumeMinServerVersion", "9.4");
    props.setProperty("preferQueryMode", "simple");
    return DriverManager.getConnection(url, props);
  }

  private static Properties common(String user, String password, String application) {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("ApplicationName", application);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", "10");
    return props;
  }
}
