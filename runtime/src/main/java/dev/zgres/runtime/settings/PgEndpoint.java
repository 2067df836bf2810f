package dev.zgres.runtime.settings;

/**
 * Where a PostgreSQL database is and how to log in. {@link #toString} never shows the password.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?options]}
 * @param user the role to log in as
 * @param password its password; empty for none
 */
public record PgEndpoint(String jdbcUrl, String user, String password) {

  /** The same server and credentials, another database. */
  public PgEndpoint withDatabase(String database) {
    int slash = jdbcUrl.lastIndexOf('/');
    int query = jdbcUrl.indexOf('?', slash);
    String suffix = query < 0 ? "" : jdbcUrl.substring(query);
    return new PgEndpoint(jdbcUrl.substring(0, slash + 1) + database + suffix, user, password);
  }

  /**
   * The URL as it may be shown: the value of a {@code password} (or {@code sslpassword}) option in
   * it is replaced by {@code ***}.
   */
  public String shownUrl() {
    return jdbcUrl.replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return "PgEndpoint[" + shownUrl() + " as " + user + "]";
  }
}
