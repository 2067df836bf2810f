package dev.zgres.cli;

import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.wal.ReplicationSetupException;
import dev.zgres.consumers.gateway.GatewaySettings;
import dev.zgres.consumers.replay.ReplayConfig;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.Setting;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/zgres <command>}: the one entry point of every zgres process. */
@Command(
    name = "zgres",
    mixinStandardHelpOptions = true,
    version = "zgres 0.1.0",
    description = "PostgreSQL real-time event stream to Kafka.",
    footer = {
      "",
      "Also: bin/zgres bench [--quick] runs the benchmark (bench/; bin/zgres bench --help)."
    },
    subcommands = {
      DemoCommand.class,
      BridgeCommand.class,
      AiWorkerCommand.class,
      ModeratorCommand.class,
      SearchCommand.class,
      GatewayCommand.class,
      MigrateCommand.class,
      SlotDropCommand.class,
      ReplayCommand.class,
      BackfillCommand.class
    })
public final class ZgresMain implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The settings {@code bin/zgres <command>} reads from the environment (each secret one also from
   * {@code <env>_FILE}), or empty when this build has no such command. Deployment checks compare a
   * service's environment with this list.
   */
  public static Optional<List<Setting>> settingsOf(String command) {
    CommandLine sub = commandLine().getSubcommands().get(command);
    return sub == null
        ? Optional.empty()
        : Optional.of(SettingOptions.declaredOn(sub.getCommandSpec()));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ZgresMain());
    SettingOptions.addTo(cli.getSubcommands().get("bridge").getCommandSpec(), BridgeSettings.ALL);
    SettingOptions.addTo(cli.getSubcommands().get("gateway").getCommandSpec(), GatewaySettings.ALL);
    SettingOptions.addTo(
        cli.getSubcommands().get("migrate").getCommandSpec(), MigrateCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("ai-worker").getCommandSpec(), AiWorkerCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("moderator").getCommandSpec(), ModeratorCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("search").getCommandSpec(),
        dev.zgres.runtime.settings.CommonSettings.POSTGRES);
    SettingOptions.addTo(
        cli.getSubcommands().get("slot-drop").getCommandSpec(), SlotDropCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("replay").getCommandSpec(), ReplayConfig.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("backfill").getCommandSpec(), BackfillCommand.SETTINGS);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          if (e instanceof ConfigException || e instanceof ReplicationSetupException) {
            commandLine.getErr().println(e.getMessage());
            return 2;
          }
          commandLine.getErr().println("zgres " + commandLine.getCommandName() + ": " + e);
          if (System.getenv("ZGRES_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
