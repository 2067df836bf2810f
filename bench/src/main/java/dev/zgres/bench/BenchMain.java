package dev.zgres.bench;

import dev.zgres.bench.child.BridgeJvm;
import dev.zgres.bench.faults.FaultRun;
import dev.zgres.bench.gateway.GatewayFanOutCell;
import dev.zgres.bench.report.BenchReport;
import dev.zgres.bench.report.HtmlReport;
import dev.zgres.bench.report.JsonReport;
import dev.zgres.bench.report.TextReport;
import dev.zgres.bench.result.BenchResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.scenario.BenchPlan;
import dev.zgres.bench.scenario.BenchRun;
import dev.zgres.bench.scenario.Progress;
import dev.zgres.bench.servers.BenchServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/zgres bench}: measures the bridge against baselines taken in the same run. */
@Command(
    name = "zgres bench",
    mixinStandardHelpOptions = true,
    version = "zgres bench 0.1.0",
    sortOptions = false,
    description = {
      "Measures zgres against baselines taken in the same run on the same machine: B0 (plain INSERT),",
      "B1 (pg_notify trigger + LISTEN), emit (zgres trigger + LISTEN, no bridge), the bridge in notify",
      "and wal mode, fan-out, and the AI worker (messages analysed/s, question to reply); prints figures",
      "and the targets as ratios, and writes a JSON and an HTML report. Starts an embedded PostgreSQL",
      "(fsync on) and Kafka unless --pg-url / --kafka-bootstrap are given."
    })
public final class BenchMain implements Callable<Integer> {
  @Option(
      names = "--quick",
      description =
          "short run (about a minute): writers 1 and 4, 2 s phases, no dedicated RSS phase")
  boolean quick;

  @Option(
      names = "--phase-seconds",
      paramLabel = "<s>",
      description = "length of each measured phase (default 10; 2 with --quick)")
  Integer phaseSeconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "<s>",
      description = "unmeasured load before each scenario (default 3; 1 with --quick)")
  Integer warmupSeconds;

  @Option(
      names = "--writers",
      split = ",",
      paramLabel = "<n>",
      description = "writer connections (default 1,4,16; 1,4 with --quick)")
  List<Integer> writers;

  @Option(
      names = "--rate",
      paramLabel = "<events/s>",
      description = "total rate of the open-loop phases (default: ${DEFAULT-VALUE})")
  double rate = 1_000;

  @Option(
      names = "--rss-rate",
      paramLabel = "<events/s>",
      description = "open-loop rate of the bridge RSS phase (default: ${DEFAULT-VALUE})")
  double rssRate = 5_000;

  @Option(
      names = "--drain-seconds",
      paramLabel = "<s>",
      description =
          "after the writers stop, wait this long without progress for stragglers (default: ${DEFAULT-VALUE})")
  int drainSeconds = 10;

  @Option(
      names = "--pg-url",
      paramLabel = "<jdbc-url>",
      description = "measure this PostgreSQL instead of an embedded one")
  String pgUrl;

  @Option(
      names = "--pg-user",
      paramLabel = "<user>",
      description = "user for --pg-url (default: ${DEFAULT-VALUE})")
  String pgUser = "postgres";

  @Option(
      names = "--pg-password",
      paramLabel = "<password>",
      description = "password for --pg-url (default: empty)")
  String pgPassword = "";

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "<servers>",
      description = "measure this Kafka instead of an embedded broker")
  String kafkaBootstrap;

  @Option(
      names = "--bridge-jvm-opts",
      paramLabel = "<options>",
      description = "options of the bridge's JVM, space-separated (default: ${DEFAULT-VALUE})")
  String bridgeJvmOptions = BridgeJvm.LAUNCHER_DEFAULTS;

  @Option(
      names = "--bridge-env",
      paramLabel = "<KEY=VALUE>",
      description = "extra ZGRES_* setting for the bridge; repeatable")
  Map<String, String> bridgeEnv = new LinkedHashMap<>();

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "<id>",
      description =
          "scenarios to run (default: all of B0,B1,B1-prompt,B1-pgbench,emit,notify,channels,startup,wal,"
              + "debezium,fan-out,ai; debezium runs its default and tuned settings;"
              + " B1-pgbench also runs B1-clock)")
  List<String> scenarios =
      List.of(
          "B0",
          "B1",
          "B1-prompt",
          "B1-pgbench",
          "emit",
          "notify",
          "channels",
          "startup",
          "wal",
          "debezium",
          "fan-out",
          "ai");

  @Option(
      names = "--profile",
      description =
          "record a JFR flight recording of each bridge process into the output directory")
  boolean profile;

  @Option(
      names = "--gateway-fanout",
      description =
          "run only the gateway fan-out cell: WebSocket clients over public channels, writers at"
              + " 500, 2000 and 5000 messages/s (--quick: 1000 sockets, 500 and 2000/s)")
  boolean gatewayFanout;

  @Option(
      names = "--gateway-sockets",
      paramLabel = "<n>",
      description =
          "sockets of the fan-out cell (default 5000 over 500 channels; 1000 with --quick)")
  Integer gatewaySockets;

  @Option(
      names = "--gateway-hold",
      paramLabel = "<n>",
      description =
          "after the phases, open sockets up to this many to see how many one gateway holds"
              + " (default 15000; 0 skips)")
  int gatewayHold = 15_000;

  @Option(
      names = "--faults",
      description =
          "instead of the benchmark, the fault run: wal mode, 5 bridge kills (SIGKILL), a Kafka and a"
              + " PostgreSQL restart, then written / delivered / lost / duplicates / order violations")
  boolean faults;

  @Option(
      names = "--fault-events",
      paramLabel = "<n>",
      description = "events the fault run writes (default: ${DEFAULT-VALUE})")
  int faultEvents = 100_000;

  @Option(
      names = "--fault-channels",
      paramLabel = "<n>",
      description = "chat_message_<n> channels the fault run writes to (default: ${DEFAULT-VALUE})")
  int faultChannels = 100;

  @Option(
      names = "--fault-rate",
      paramLabel = "<events/s>",
      description =
          "pace of the fault run's writers, all together, so the faults fall during the writing"
              + " (default: ${DEFAULT-VALUE})")
  double faultRate = 1_000;

  @Option(
      names = "--out",
      paramLabel = "<dir>",
      description = "directory of the reports and bridge logs (default: ${DEFAULT-VALUE})")
  Path out = Path.of("bench-results");

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (gatewayFanout) {
      return gatewayFanOut();
    }
    if (faults) {
      if (faultEvents < 100 || faultChannels < 4 || faultRate <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--fault-events must be at least 100, --fault-channels at least 4 and --fault-rate"
                + " above 0");
      }
      return new FaultRun(faultEvents, faultChannels, faultRate, out, System.out).execute();
    }
    BenchPlan plan = plan();
    Progress progress = new Progress(System.out);
    progress.note(
        "zgres bench"
            + (quick ? " --quick" : "")
            + ": "
            + plan.phase().toSeconds()
            + " s phases, writers "
            + plan.writerCounts()
            + "; starting servers");
    BenchResult result;
    Files.createDirectories(plan.outDir());
    try (BenchServers servers =
        BenchServers.open(pgUrl, pgUser, pgPassword, kafkaBootstrap, plan.outDir())) {
      progress.note("servers: " + servers.description());
      result = BenchRun.execute(plan, servers, progress);
    }
    BenchReport report = BenchReport.of(result);
    TextReport.print(report, System.out);
    String name = quick ? "zgres-bench-quick" : "zgres-bench";
    Path json = plan.outDir().resolve(name + ".json");
    Path html = plan.outDir().resolve(name + ".html");
    JsonReport.write(report, json);
    HtmlReport.write(report, html);
    System.out.println();
    System.out.println("wrote " + json + " and " + html);
    return result.scenarios().stream().anyMatch(ScenarioResult::failed) ? 1 : 0;
  }

  private int gatewayFanOut() throws Exception {
    int sockets = gatewaySockets != null ? gatewaySockets : quick ? 1000 : 5000;
    GatewayFanOutCell.Plan plan =
        new GatewayFanOutCell.Plan(
            sockets,
            Math.max(1, sockets / 10),
            100,
            quick ? List.of(500, 2000) : List.of(500, 2000, 5000),
            Duration.ofSeconds(phaseSeconds != null ? phaseSeconds : quick ? 5 : 10),
            gatewayHold);
    java.nio.file.Files.createDirectories(out);
    try (BenchServers servers = BenchServers.open(pgUrl, pgUser, pgPassword, kafkaBootstrap, out)) {
      System.out.println("servers: " + servers.description());
      GatewayFanOutCell.run(servers, plan, out);
    }
    return 0;
  }

  private BenchPlan plan() {
    List<Integer> counts =
        writers != null ? List.copyOf(writers) : quick ? List.of(1, 4) : List.of(1, 4, 16);
    if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--writers must list counts of at least 1 (was " + counts + ")");
    }
    int phase = phaseSeconds != null ? phaseSeconds : quick ? 2 : 10;
    int warmup = warmupSeconds != null ? warmupSeconds : quick ? 1 : 3;
    List<String> jvm =
        Arrays.stream(bridgeJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    return new BenchPlan(
        quick,
        Duration.ofSeconds(phase),
        Duration.ofSeconds(warmup),
        Duration.ofSeconds(drainSeconds),
        counts,
        rate,
        rssRate,
        jvm,
        bridgeEnv,
        Set.copyOf(scenarios),
        profile,
        out);
  }
}
