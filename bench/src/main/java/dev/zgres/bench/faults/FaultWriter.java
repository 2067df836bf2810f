package dev.zgres.bench.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer of the fault run: commits numbered events on the channels it owns, one or two per
 * transaction, and records each in {@code fault_events} in the same transaction, which is the
 * ground truth of what committed. It rides out a PostgreSQL restart: when a commit's outcome is
 * unknown it looks the event up before writing it again, so each channel's numbers commit in order,
 * each exactly once. It stops when the shared budget of events is spent.
 */
final class FaultWriter implements Runnable {
  static final String TABLE_DDL =
      "CREATE TABLE IF NOT EXISTS fault_events (channel int, seq int, PRIMARY KEY (channel, seq))";

  private final String url;
  private final int[] channels;
  private final int[] nextSeq;
  private final AtomicInteger budget;
  private final AtomicInteger written;
  private final long deadlineNanos;
  private final long nanosPerEvent;
  private Connection connection;
  private volatile int retries;
  private volatile Throwable failure;

  /**
   * @param budget events still to write, shared by all writers; each takes from it before writing
   * @param written events known to be committed, shared (drives the fault schedule)
   * @param eventsPerSecond this writer's pace, so that the faults fall while it writes
   */
  FaultWriter(
      String url,
      int[] channels,
      AtomicInteger budget,
      AtomicInteger written,
      long deadlineNanos,
      double eventsPerSecond) {
    this.url = url;
    this.channels = channels.clone();
    this.nextSeq = new int[channels.length];
    this.budget = budget;
    this.written = written;
    this.deadlineNanos = deadlineNanos;
    this.nanosPerEvent = (long) (1e9 / eventsPerSecond);
  }

  /** The payload of event {@code seq} on channel {@code channel}. */
  static String payload(int channel, int seq) {
    return "{\"c\":" + channel + ",\"s\":" + seq + ",\"text\":\"" + "m".repeat(120) + "\"}";
  }

  @Override
  public void run() {
    try {
      long due = System.nanoTime();
      for (int t = 0; ; t++) {
        int size = t % 5 == 4 ? 2 : 1;
        int taken = take(size);
        if (taken == 0) {
          return;
        }
        List<int[]> events = new ArrayList<>();
        int first = t % channels.length;
        for (int i = 0; i < taken; i++) {
          int slot = (first + i) % channels.length;
          events.add(new int[] {channels[slot], ++nextSeq[slot]});
        }
        commit(events);
        written.addAndGet(events.size());
        due += nanosPerEvent * events.size();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      close();
    }
  }

  private int take(int wanted) {
    while (true) {
      int left = budget.get();
      int n = Math.min(left, wanted);
      if (n == 0 || budget.compareAndSet(left, left - n)) {
        return n;
      }
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

  int retries() {
    return retries;
  }

  /** What stopped the writer, or null if it wrote its share. */
  Throwable failure() {
    return failure;
  }
}
