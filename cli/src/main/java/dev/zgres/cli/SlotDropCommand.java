package dev.zgres.cli;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.wal.SlotCatalog;
import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "slot-drop",
    mixinStandardHelpOptions = true,
    description = {
      "Drop the wal source's replication slot, so PostgreSQL stops keeping WAL for it.",
      "Use it when no bridge will read the slot again: events not yet read from it are lost.",
      "Refuses while a process (a running bridge) streams the slot."
    })
final class SlotDropCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      List.of(
          CommonSettings.PG_URL,
          CommonSettings.PG_USER,
          CommonSettings.PG_PASSWORD,
          BridgeSettings.SLOT);

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BridgeConfig config = BridgeConfig.from(SettingOptions.values(spec, SETTINGS, System.getenv()));
    try (Connection c = PgConnections.open(config.postgres(), "zgres-slot-drop", 30_000)) {
      return switch (SlotCatalog.drop(c, config.slot())) {
        case SlotCatalog.DropOutcome.Dropped dropped -> {
          spec.commandLine()
              .getOut()
              .printf(
                  "dropped replication slot %s; PostgreSQL may now recycle the %d MB of WAL it kept for it%n",
                  config.slot(), dropped.retainedBytes() >> 20);
          yield 0;
        }
        case SlotCatalog.DropOutcome.Missing missing -> {
          spec.commandLine()
              .getErr()
              .printf(
                  "no replication slot named %s in %s; nothing dropped%n",
                  config.slot(), config.postgres().jdbcUrl());
          yield 1;
        }
        case SlotCatalog.DropOutcome.Active active -> {
          spec.commandLine()
              .getErr()
              .printf(
                  "refusing to drop replication slot %s: it is in use by PID %d (a running bridge?); stop that"
                      + " process first%n",
                  config.slot(), active.pid());
          yield 1;
        }
      };
    }
  }
}
