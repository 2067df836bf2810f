package dev.zgres.bridge.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A writer for fault tests: emits numbered events on the channels it owns, one or two per
 * transaction, recording each in {@code fault_events} in the same transaction (the ground truth of
 * what committed). It rides out server restarts: when a commit's outcome is unknown it looks the
 * event up before writing it again, so each channel's numbers commit in order, each exactly once.
 */
public final class SequencedWriter implements Runnable {
  /** The table the writers record their events in; create it before starting them. */
  public static final String TABLE_DDL =
      "CREATE TABLE IF NOT EXISTS fault_events (channel int, seq int, PRIMARY KEY (channel, seq))";

  private final String url;
  private final int[] channels;
  private final int transactions;
  private final long pauseMillis;
  private final AtomicInteger written;
  private final int[] nextSeq;
  private final long deadlineNanos;
  private Connection connection;
  private volatile int retries;
  private volatile Throwable failure;

  /**
   * @param written counts events known to be committed, across writers (drives fault timing)
   * @param pauseMillis pause between transactions, to spread the writes over the faults
   */
  public SequencedWriter(
      String url,
      int[] channels,
      int transactions,
      long pauseMillis,
      AtomicInteger written,
      long deadlineNanos) {
    this.url = url;
    this.channels = channels.clone();
    this.transactions = transactions;
    this.pauseMillis = pauseMillis;
    this.written = written;
    this.nextSeq = new int[channels.length];
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * The payload of event {@code seq} on channel {@code channel}: JSON, padded to a realistic size.
   */
  public static String payload(int channel, int seq) {
    return "{\"c\":" + channel + ",\"s\":" + seq + ",\"text\":\"" + "m".repeat(160) + "\"}";
  }

  @Override
  public void run() {
    try {
      for (int t = 0; t < transactions; t++) {
        List<int[]> events = new ArrayList<>();
        int first = t % channels.length;
        events.add(new int[] {channels[first], ++nextSeq[first]});
        if (t % 5 == 4) {
          int second = (first + 1) % channels.length;
          events.add(new int[] {channels[second], ++nextSeq[second]});
        }
        commit(events);
        written.addAndGet(events.size());
        Thread.sleep(pauseMillis);
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      close();
    }
  }

  private void commit(List<int[]> events) throws InterruptedException {
    boolean uncertain = false;
    while (true) {
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("writer could not commit within its deadline");
      }
      try {
        if (connection == null) {
          connection = DriverManager.getConnection(url, "postgres", "");
          connection.setAutoCommit(false);
        }
        if (uncertain && committed(events.get(0))) {
          return;
        }
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO fault_events VALUES (?, ?)");
            PreparedStatement emit = connection.prepareStatement("SELECT zgres.emit(?, ?)")) {
          for (int[] e : events) {
            insert.setInt(1, e[0]);
            insert.setInt(2, e[1]);
            insert.executeUpdate();
            emit.setString(1, "chat_message_" + e[0]);
            emit.setString(2, payload(e[0], e[1]));
            emit.execute();
          }
        }
        connection.commit();
        return;
      } catch (SQLException e) {
        retries++;
        uncertain = true;
        close();
        Thread.sleep(100);
      }
    }
  }

  private boolean committed(int[] event) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement("SELECT 1 FROM fault_events WHERE channel = ? AND seq = ?")) {
      p.setInt(1, event[0]);
      p.setInt(2, event[1]);
      try (ResultSet rs = p.executeQuery()) {
        boolean found = rs.next();
        connection.rollback();
        return found;
      }
    }
  }

  private void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // already gone
      }
      connection = null;
    }
  }

  public int retries() {
    return retries;
  }

  /** What stopped the writer, or null if it wrote everything. */
  public Throwable failure() {
    return failure;
  }
}
