package dev.zgres.cli;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.BridgeSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description =
        "Republish PostgreSQL notifications to Kafka until stopped (SIGTERM or Ctrl-C flushes and exits 0).")
final class BridgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BridgeConfig config =
        BridgeConfig.from(SettingOptions.values(spec, BridgeSettings.ALL, System.getenv()));
    return UntilSignalled.run(Bridge.start(config));
  }
}
