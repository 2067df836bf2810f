package dev.zgres.cli;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Writes to the demo's watched table once a second: an insert (sometimes with awkward text), then
 * now and then an update or a delete, so every operation of the generic trigger shows.
 */
final class DemoWriter extends PeriodicWriter {
  private static final String[] VALUES = {
    "hello",
    "quote \" and backslash \\",
    "line\nbreak",
    "unicode é ✓ 🙂",
    "'; DROP TABLE inputs; --"
  };

  DemoWriter(String jdbcUrl, String user, String password) throws SQLException {
    super(
        "zgres-demo-writer",
        DriverManager.getConnection(jdbcUrl, user, password),
        Duration.ofSeconds(1));
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS public.inputs (id serial PRIMARY KEY, input_id int NOT NULL, value text)");
      s.execute("SELECT zgres.watch_table('public.inputs', ARRAY['id', 'input_id', 'value'])");
    }
    start();
  }

  @Override
  protected void write(int n) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO public.inputs (input_id, value) VALUES (?, ?)")) {
      insert.setInt(1, n % 3);
      insert.setString(2, VALUES[n % VALUES.length]);
      insert.executeUpdate();
    }
    try (Statement s = connection.createStatement()) {
      if (n % 4 == 3) {
        s.executeUpdate(
            "UPDATE public.inputs SET value = value || ' (edited)' WHERE id = (SELECT max(id) FROM public.inputs)");
      }
      if (n % 6 == 5) {
        s.executeUpdate("DELETE FROM public.inputs WHERE id = (SELECT min(id) FROM public.inputs)");
      }
    }
  }
}
