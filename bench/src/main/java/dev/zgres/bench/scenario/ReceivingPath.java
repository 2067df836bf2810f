package dev.zgres.bench.scenario;

import dev.zgres.bench.measure.ProcessProbe;
import dev.zgres.bench.measure.SchedStat;
import dev.zgres.bench.receive.EventReceiver;
import dev.zgres.bench.receive.ListenReceiver;
import dev.zgres.bench.result.ListenerSched;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds the tasks a notification passes through on its way to a receiver (the LISTENing backend,
 * the thread reading its socket) and this JVM's collector pauses, so that a phase can say where the
 * receiving path spent its time.
 */
final class ReceivingPath {
  private ReceivingPath() {}

  /**
   * The LISTENing backend and the thread reading its socket: a {@link ListenReceiver}'s own, or the
   * bridge's (its connection named {@code zgres-bridge}, its thread {@code zgres-listener}).
   */
  static SchedStat[] of(Connection admin, EventReceiver receiver, ProcessProbe bridge)
      throws SQLException {
    if (receiver instanceof ListenReceiver listen) {
      return new SchedStat[] {
        SchedStat.ofProcess(listen.backendPid()),
        SchedStat.ofThread(ProcessHandle.current().pid(), listen.threadName())
      };
    }
    if (bridge == null) {
      return new SchedStat[] {SchedStat.UNKNOWN, SchedStat.UNKNOWN};
    }
    long backend = -1;
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT min(pid) FROM pg_stat_activity WHERE application_name = 'zgres-bridge'"
                    + " AND backend_type = 'client backend'")) {
      if (rs.next()) {
        backend = rs.getLong(1);
      }
    }
    return new SchedStat[] {
      SchedStat.ofProcess(backend), SchedStat.ofThread(bridge.pid(), "zgres-listener")
    };
  }

  static ListenerSched since(SchedStat[] sched, SchedStat.Sample[] before) {
    double[] backend = sched[0].sample().secondsSince(before[0]);
    double[] thread = sched[1].sample().secondsSince(before[1]);
    return new ListenerSched(backend[0], backend[1], thread[0], thread[1]);
  }

  /** Time this JVM spent in stop-the-world collections (concurrent cycles left out). */
  static double gcPauseSeconds() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Concurrent") && gc.getCollectionTime() > 0) {
        millis += gc.getCollectionTime();
      }
    }
    return millis / 1e3;
  }
}
