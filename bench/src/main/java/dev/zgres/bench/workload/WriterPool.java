package dev.zgres.bench.workload;

import dev.zgres.bench.measure.LatencySummary;
import dev.zgres.bench.servers.BenchServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs the writers of one phase: one thread and one connection each, inserting one row per
 * transaction (autocommit) into an {@link EventTable} for a fixed duration. Threads are started and
 * joined by {@link #run}; nothing outlives it.
 */
public final class WriterPool {
  private static final String BODY = "x".repeat(64);

  private final BenchServers servers;
  private final AtomicLong ids;
  private final Map<String, String> connectionProperties;
  private final int rowsPerCommit;

  /**
   * @param ids event ids, unique across the whole run so a late event of one phase can never be
   *     taken for one of the next
   * @param connectionProperties extra pgjdbc properties, e.g. {@code options=-c
   *     zgres.transport=wal}
   */
  public WriterPool(
      BenchServers servers, AtomicLong ids, Map<String, String> connectionProperties) {
    this(servers, ids, connectionProperties, 1);
  }

  private WriterPool(
      BenchServers servers,
      AtomicLong ids,
      Map<String, String> connectionProperties,
      int rowsPerCommit) {
    this.servers = servers;
    this.ids = ids;
    this.connectionProperties = Map.copyOf(connectionProperties);
    this.rowsPerCommit = rowsPerCommit;
  }

  /** The same writers (sharing the id sequence) on connections with other properties. */
  public WriterPool withConnectionProperties(Map<String, String> properties) {
    return new WriterPool(servers, ids, properties, rowsPerCommit);
  }

  /**
   * The same writers inserting {@code rows} rows per statement (one transaction, one event per
   * row): how a 2-core machine with fsync on reaches event rates its commit rate cannot. A load's
   * rate stays in events per second.
   */
  public WriterPool withRowsPerCommit(int rows) {
    return new WriterPool(servers, ids, connectionProperties, rows);
  }

  public WriterStats run(EventTable table, Load load, Duration duration, CommitLog commits)
      throws SQLException, InterruptedException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < load.writers(); i++) {
        connections.add(servers.connect("zgres-bench-writer-" + i, connectionProperties));
      }
      return runOn(connections, table, load, duration, commits);
    } finally {
      for (Connection c : connections) {
        c.close();
      }
    }
  }

  private WriterStats runOn(
      List<Connection> connections,
      EventTable table,
      Load load,
      Duration duration,
      CommitLog commits)
      throws SQLException, InterruptedException {
    int n = connections.size();
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<SQLException> failure = new AtomicReference<>();
    long[] counts = new long[n];
    long[] lastCommit = new long[n];
    double[] lag = new double[n];
    Histogram[] latencies = new Histogram[n];
    long[] start = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int w = i;
      latencies[w] = new Histogram(3_600_000_000_000L, 3);
      Thread t =
          new Thread(
              () -> {
                int rows = rowsPerCommit;
                try (PreparedStatement insert =
                    connections
                        .get(w)
                        .prepareStatement(rows == 1 ? table.insertSql() : table.insertRowsSql())) {
                  insert.setInt(rows == 1 ? 2 : 1, w);
                  insert.setString(rows == 1 ? 3 : 2, BODY);
                  ready.countDown();
                  go.await();
                  long t0 = start[0];
                  long end = t0 + duration.toNanos();
                  long interval =
                      load.isOpen() ? (long) (1e9 * n * rows / load.eventsPerSecond()) : 0;
                  long next = t0 + (interval * w) / n;
                  SplittableRandom random = new SplittableRandom(w);
                  while (true) {
                    if (load.isOpen()) {
                      long now = System.nanoTime();
                      if (next >= end || now >= end) {
                        break;
                      }
                      if (next > now) {
                        LockSupport.parkNanos(next - now);
                      } else {
                        lag[w] = Math.max(lag[w], (now - next) / 1e6);
                      }
                      // Poisson arrivals (exponential gaps of the given mean), as pgbench --rate:
                      // evenly spaced commits from every writer fall into step with each other and
                      // made a LISTEN loop's p99 5 to 25 times what the same loop sees under
                      // Poisson arrivals at the same rate (docs/performance.md).
                      next += (long) (-Math.log(1 - random.nextDouble()) * interval);
                    } else if (System.nanoTime() >= end) {
                      break;
                    }
                    long id = ids.addAndGet(rows) - rows + 1;
                    if (rows == 1) {
                      insert.setLong(1, id);
                    } else {
                      insert.setLong(3, id);
                      insert.setLong(4, id + rows - 1);
                    }
                    long before = System.nanoTime();
                    insert.executeUpdate();
                    long committed = System.nanoTime();
                    for (int r = 0; r < rows; r++) {
                      commits.committed(id + r, committed);
                    }
                    latencies[w].recordValue(committed - before);
                    counts[w] += rows;
                    lastCommit[w] = committed;
                  }
                } catch (SQLException e) {
                  failure.compareAndSet(null, e);
                  ready.countDown();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "zgres-bench-writer-" + w);
      threads.add(t);
      t.start();
    }
    ready.await();
    start[0] = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    long events = 0;
    long last = start[0];
    double maxLag = 0;
    Histogram all = new Histogram(3_600_000_000_000L, 3);
    for (int i = 0; i < n; i++) {
      events += counts[i];
      last = Math.max(last, lastCommit[i]);
      maxLag = Math.max(maxLag, lag[i]);
      all.add(latencies[i]);
    }
    double seconds = load.isOpen() ? duration.toNanos() / 1e9 : (last - start[0]) / 1e9;
    return new WriterStats(
        events, seconds, LatencySummary.of(all), load.isOpen() ? maxLag : 0, start[0]);
  }
}
