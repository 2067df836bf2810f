package dev.zgres.bench.scenario;

import dev.zgres.bench.child.BridgeUnavailableException;
import dev.zgres.bench.receive.ListenReceiver;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.BenchSchema;
import dev.zgres.bench.workload.EventTable;
import dev.zgres.bench.workload.Load;
import dev.zgres.bench.workload.PgbenchWriters;
import dev.zgres.bridge.config.SourceKind;
import dev.zgres.bridge.listen.PromptNotificationSockets;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios over one grid of loads (every writer count, open loop then closed loop). B0, B1,
 * emit and notify are interleaved load by load, so that the machine's drift (other work, disk flush
 * times) hits a baseline and the bridge alike; wal runs after them, with a bridge of its own
 * ({@link WalCell}).
 */
public final class ScenarioRunner {
  public static final String B0 = "B0";
  public static final String B1 = "B1";
  public static final String B1_PROMPT = "B1-prompt";
  public static final String EMIT = "emit";
  public static final String B1_CLOCK = "B1-clock";
  public static final String B1_PGBENCH = "B1-pgbench";
  public static final String NOTIFY = "notify";
  public static final String WAL = "wal";
  public static final String FAN_OUT = "fan-out";
  public static final String RSS_PURPOSE = "rss";

  /** Rows per transaction of the RSS phase: 5,000 events/s at 500 commits/s. */
  public static final int RSS_ROWS_PER_COMMIT = 10;

  static final String B0_WHAT = "plain INSERT, no trigger: the writer rate PostgreSQL allows";
  static final String B1_WHAT =
      "INSERT with a plain pg_notify trigger, received by a pgjdbc LISTEN loop (no Kafka)";
  static final String B1_PROMPT_WHAT =
      "B1 received over the bridge's LISTEN sockets, which hand each notification over as it arrives"
          + " (pgjdbc alone returns a steady stream in bursts): the other raw loop a target may use";
  static final String EMIT_WHAT =
      "INSERT with B1's trigger calling zgres.emit instead of pg_notify, received by a pgjdbc LISTEN loop: zgres's SQL side alone, "
          + "no bridge, no Kafka (diagnostic, no target)";
  static final String B1_CLOCK_WHAT =
      "B1 measured by the payload clock (insert's clock_timestamp() to receipt; includes the commit): "
          + "writers in the benchmark's JVM, half of the cross-check";
  static final String B1_PGBENCH_WHAT =
      "B1 measured by the payload clock with pgbench as the writers, outside the benchmark's JVM: "
          + "the other half of the cross-check";
  static final String FAN_OUT_WHAT = "Kafka to 5,000 WebSocket clients through the gateway";
  static final String NOT_SELECTED = "not selected with --scenarios";
  static final String FAN_OUT_ELSEWHERE = "measured by a run of its own: bench --gateway-fanout";

  private final BenchPlan plan;
  private final BenchServers servers;
  private final PhaseRunner phases;
  private final Progress progress;

  ScenarioRunner(BenchPlan plan, BenchServers servers, PhaseRunner phases, Progress progress) {
    this.plan = plan;
    this.servers = servers;
    this.phases = phases;
    this.progress = progress;
  }

  static String bridgedWhat(SourceKind source) {
    return "INSERT with B1's trigger calling zgres.emit (transport "
        + source.label()
        + "), bridge in its own JVM, received by a Kafka consumer";
  }

  /**
   * B0, B1, B1-prompt, the cross-check, emit and notify, interleaved: for each load, one of each.
   */
  List<ScenarioResult> baselinesAndNotify() throws SQLException, InterruptedException, IOException {
    boolean b0 = plan.scenarios().contains(B0);
    boolean b1 = plan.scenarios().contains(B1);
    boolean b1Prompt = plan.scenarios().contains(B1_PROMPT);
    boolean emit = plan.scenarios().contains(EMIT);
    String notifyProblem = plan.scenarios().contains(NOTIFY) ? null : NOT_SELECTED;
    boolean notifyFailed = false;
    List<PhaseResult> r0 = new ArrayList<>();
    List<PhaseResult> r1 = new ArrayList<>();
    List<PhaseResult> r1p = new ArrayList<>();
    List<PhaseResult> re = new ArrayList<>();
    List<PhaseResult> rn = new ArrayList<>();
    List<PhaseResult> rc = new ArrayList<>();
    List<PhaseResult> rp = new ArrayList<>();
    String crossProblem = plan.scenarios().contains(B1_PGBENCH) ? null : NOT_SELECTED;
    PgbenchWriters pgbench = null;
    if (crossProblem == null) {
      pgbench =
          PgbenchWriters.find(
                  servers.pgUrl(), servers.pgUser(), servers.pgPassword(), plan.outDir())
              .orElse(null);
      if (pgbench == null) {
        crossProblem = "pgbench not found (PATH, /usr/lib/postgresql/*/bin)";
      }
    }
    ListenReceiver clockListen = null;
    ListenReceiver listen = null;
    ListenReceiver promptListen = null;
    ListenReceiver direct = null;
    RunningBridge bridge = null;
    try {
      if (b1) {
        listen = new ListenReceiver(servers, BenchSchema.PLAIN_CHANNEL);
      }
      if (b1Prompt) {
        promptListen =
            new ListenReceiver(
                servers, BenchSchema.PLAIN_CHANNEL, PromptNotificationSockets.properties());
      }
      if (emit) {
        direct = new ListenReceiver(servers, BenchSchema.DIRECT_CHANNEL);
      }
      if (crossProblem == null) {
        clockListen = new ListenReceiver(servers, BenchSchema.CLOCK_CHANNEL);
      }
      if (notifyProblem == null) {
        progress.note(NOTIFY + ": starting the bridge in its own JVM " + plan.bridgeJvmOptions());
        try {
          bridge =
              RunningBridge.start(
                  SourceKind.NOTIFY, NOTIFY, plan, servers, phases.ticksPerSecond());
          progress.note(NOTIFY + ": bridge up (" + bridge.describe() + ")");
        } catch (BridgeUnavailableException | IOException e) {
          notifyProblem = e.getMessage();
          notifyFailed = e instanceof IOException;
          progress.note(NOTIFY + ": " + (notifyFailed ? "FAILED: " : "n/a: ") + notifyProblem);
        }
      }
      // --quick warms up only the bridge's fresh JVM, to stay within a minute.
      progress.note(
          "warming up ("
              + plan.warmup().toSeconds()
              + " s per scenario, twice for the bridge's fresh JVM"
              + (plan.quick() ? "; only the bridge with --quick)" : ")"));
      Load warm = Load.closed(plan.maxWriters());
      if (b0 && !plan.quick()) {
        phases.warmUp(EventTable.PLAIN, warm);
      }
      if ((b1 || b1Prompt) && !plan.quick()) {
        phases.warmUp(EventTable.PLAIN_NOTIFY, warm);
      }
      if (emit && !plan.quick()) {
        phases.warmUp(EventTable.ZGRES_DIRECT, warm);
      }
      if (bridge != null) {
        phases.warmUp(EventTable.ZGRES, warm);
        phases.warmUp(EventTable.ZGRES, Load.open(plan.maxWriters(), plan.openRate()));
      }
      for (Load load : grid()) {
        if (b0) {
          r0.add(measure(phases, B0, EventTable.PLAIN, load, null, ""));
        }
        if (b1) {
          r1.add(measureListened(B1, EventTable.PLAIN_NOTIFY, load, listen));
        }
        if (b1Prompt) {
          r1p.add(measureListened(B1_PROMPT, EventTable.PLAIN_NOTIFY, load, promptListen));
        }
        if (clockListen != null) {
          rc.add(
              done(
                  phases.runByPayloadClock(
                      B1_CLOCK, EventTable.PLAIN_NOTIFY_CLOCK, load, clockListen)));
          rp.add(
              done(
                  phases.runOutside(
                      B1_PGBENCH, EventTable.PLAIN_NOTIFY_CLOCK, load, clockListen, pgbench)));
        }
        if (emit) {
          re.add(measureListened(EMIT, EventTable.ZGRES_DIRECT, load, direct));
        }
        if (bridge != null) {
          rn.add(measure(phases, NOTIFY, EventTable.ZGRES, load, bridge, ""));
        }
      }
      if (bridge != null && !plan.quick()) {
        rn.add(
            measure(
                phases.withRowsPerCommit(RSS_ROWS_PER_COMMIT),
                NOTIFY,
                EventTable.ZGRES,
                Load.open(plan.maxWriters(), plan.rssRate()),
                bridge,
                RSS_PURPOSE));
      }
      if (bridge != null) {
        bridge.checkAlive(NOTIFY, plan.outDir());
      }
    } finally {
      if (bridge != null) {
        bridge.close();
      }
      if (listen != null) {
        listen.close();
      }
      if (promptListen != null) {
        promptListen.close();
      }
      if (direct != null) {
        direct.close();
      }
      if (clockListen != null) {
        clockListen.close();
      }
    }
    String notifyWhat = bridgedWhat(SourceKind.NOTIFY);
    return List.of(
        b0
            ? new ScenarioResult(B0, B0_WHAT, r0)
            : ScenarioResult.unavailable(B0, B0_WHAT, NOT_SELECTED),
        b1
            ? new ScenarioResult(B1, B1_WHAT, r1)
            : ScenarioResult.unavailable(B1, B1_WHAT, NOT_SELECTED),
        b1Prompt
            ? new ScenarioResult(B1_PROMPT, B1_PROMPT_WHAT, r1p)
            : ScenarioResult.unavailable(B1_PROMPT, B1_PROMPT_WHAT, NOT_SELECTED),
        crossProblem == null
            ? new ScenarioResult(B1_CLOCK, B1_CLOCK_WHAT, rc)
            : ScenarioResult.unavailable(B1_CLOCK, B1_CLOCK_WHAT, crossProblem),
        crossProblem == null
            ? new ScenarioResult(B1_PGBENCH, B1_PGBENCH_WHAT, rp)
            : ScenarioResult.unavailable(B1_PGBENCH, B1_PGBENCH_WHAT, crossProblem),
        emit
            ? new ScenarioResult(EMIT, EMIT_WHAT, re)
            : ScenarioResult.unavailable(EMIT, EMIT_WHAT, NOT_SELECTED),
        notifyProblem == null
            ? new ScenarioResult(NOTIFY, notifyWhat, rn)
            : notifyFailed
                ? ScenarioResult.failed(NOTIFY, notifyWhat, notifyProblem)
                : ScenarioResult.unavailable(NOTIFY, notifyWhat, notifyProblem));
  }

  /**
   * Fan-out to WebSocket clients is a run of its own ({@code --gateway-fanout}: 5,000 clients and a
   * gateway JVM do not share these phases' machine well); this grid only says where it is.
   */
  ScenarioResult fanOut() {
    if (!plan.scenarios().contains(FAN_OUT)) {
      return ScenarioResult.unavailable(FAN_OUT, FAN_OUT_WHAT, NOT_SELECTED);
    }
    progress.note(FAN_OUT + ": " + FAN_OUT_ELSEWHERE);
    return ScenarioResult.unavailable(FAN_OUT, FAN_OUT_WHAT, FAN_OUT_ELSEWHERE);
  }

  List<Load> grid() {
    List<Load> loads = new ArrayList<>();
    for (int writers : plan.writerCounts()) {
      loads.add(Load.open(writers, plan.openRate()));
      loads.add(Load.closed(writers));
    }
    return loads;
  }

  private PhaseResult measure(
      PhaseRunner runner,
      String scenario,
      EventTable table,
      Load load,
      RunningBridge bridge,
      String purpose)
      throws SQLException, InterruptedException {
    if (bridge != null) {
      return bridge.measure(runner, progress, scenario, table, load, purpose);
    }
    return done(runner.run(scenario, table, load, null, null, null, purpose));
  }

  private PhaseResult done(PhaseResult result) {
    progress.phaseDone(result);
    return result;
  }

  private PhaseResult measureListened(
      String scenario, EventTable table, Load load, ListenReceiver listen)
      throws SQLException, InterruptedException {
    PhaseResult result = phases.run(scenario, table, load, listen, null, null, "");
    progress.phaseDone(result);
    return result;
  }
}
