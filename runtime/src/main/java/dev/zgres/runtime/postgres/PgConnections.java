package dev.zgres.runtime.postgres;

import dev.zgres.runtime.settings.PgEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens every zgres process's PostgreSQL connections, with the same options: TCP keepalive, a
 * connect timeout, the process named in {@code application_name}, and the endpoint's URL options
 * (TLS and the like) kept.
 */
public final class PgConnections {
  private PgConnections() {}

  /**
   * An ordinary connection in autocommit, whose reads time out after {@code networkTimeoutMillis}
   * (0: never), so that a dead server is noticed.
   */
  public static Connection open(PgEndpoint endpoint, String application, int networkTimeoutMillis)
      throws SQLException {
    return open(endpoint, application, networkTimeoutMillis, Map.of());
  }

  /**
   * As above, with extra pgjdbc properties (such as a {@code socketFactory}); the URL's own options
   * still win over them.
   */
  public static Connection open(
      PgEndpoint endpoint, String application, int networkTimeoutMillis, Map<String, String> extra)
      throws SQLException {
    Properties props = common(endpoint, application);
    extra.forEach(props::setProperty);
    Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), props);
    try {
      c.setAutoCommit(true);
      if (networkTimeoutMillis > 0) {
        c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A replication connection ({@code replication=database}) to stream a logical slot. pgjdbc needs
   * the simple query protocol for the replication commands.
   */
  public static Connection replication(PgEndpoint endpoint, String application)
      throws SQLException {
    return replication(endpoint, application, Map.of());
  }

  /**
   * A replication connection with extra pgjdbc properties (such as a {@code socketFactory}); the
   * URL's own options still win over them.
   */
  public static Connection replication(
      PgEndpoint endpoint, String application, Map<String, String> extra) throws SQLException {
    Properties props = common(endpoint, application);
    extra.forEach(props::setProperty);
    props.setProperty("replication", "database");
    props.setProperty("assumeMinServerVersion", "9.4");
    props.setProperty("preferQueryMode", "simple");
    return DriverManager.getConnection(endpoint.jdbcUrl(), props);
  }

  private static Properties common(PgEndpoint endpoint, String application) {
    Properties props = new Properties();
    props.setProperty("user", endpoint.user());
    props.setProperty("password", endpoint.password());
    props.setProperty("ApplicationName", application);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", "10");
    // A server that accepts the connection but never answers (a silent partition) must not hang
    // a reconnect forever.
    props.setProperty("loginTimeout", "20");
    return props;
  }
}
