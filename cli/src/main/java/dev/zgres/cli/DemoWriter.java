package dev.zgres.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the demo's watched table once a second: an insert (sometimes with awkward text), then
 * now and then an update or a delete, so every operation of the generic trigger shows.
 */
final class DemoWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoWriter.class);
  private static final String[] VALUES = {
    "hello", "quote \" and backslash \\", "line\nbreak", "unicode é ✓ 🙂", "'; DROP TABLE inputs; --"
  };

  private final Connection connection;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  DemoWriter(String jdbcUrl, String user, String password) throws SQLException {
    connection = DriverManager.getConnection(jdbcUrl, user, password);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.inputs (id serial PRIMARY KEY, input_id int NOT NULL, value text)");
      s.execute("SELECT zgres.watch_table('public.inputs', ARRAY['id', 'input_id', 'value'])");
    }
    thread = new Thread(this::run, "zgres-demo-writer");
    thread.start();
  }

  private void run() {
    int n = 0;
    while (running.get()) {
      try {
        write(n++);
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException e) {
        LOG.warn("demo write failed: {}", e.getMessage());
      }
    }
  }

  private void write(int n) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO public.inputs (input_id, value) VALUES (?, ?)")) {
      insert.setInt(1, n % 3);
      insert.setString(2, VALUES[n % VALUES.length]);
      insert.executeUpdate();
    }
    try (Statement s = connection.createStatement()) {
      if (n % 4 == 3) {
        s.executeUpdate("UPDATE public.inputs SET value = value || ' (edited)' WHERE id = (SELECT max(id) FROM public.inputs)");
      }
      if (n % 6 == 5) {
        s.executeUpdate("DELETE FROM public.inputs WHERE id = (SELECT min(id) FROM public.inputs)");
      }
    }
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    thread.interrupt();
    thread.join(5_000);
    connection.close();
  }
}
