package dev.zgres.cli;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewaySettings;
import dev.zgres.runtime.settings.SettingValues;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description =
        "Serve chat events to WebSocket clients (/ws) with the HTTP API (/api/), /metrics and"
            + " /health on one port, until stopped (SIGTERM or Ctrl-C closes sockets with 4000).")
final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, GatewaySettings.ALL, System.getenv()));
    return UntilSignalled.run(Gateway.start(GatewaySettings.config(values)));
  }
}
