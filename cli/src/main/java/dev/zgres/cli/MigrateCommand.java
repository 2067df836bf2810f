package dev.zgres.cli;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.bridge.schema.SchemaMigrator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Apply the SQL migrations (schema zgres and chat) to the database.")
final class MigrateCommand implements Callable<Integer> {
  static final List<dev.zgres.bridge.config.Setting> SETTINGS =
      List.of(BridgeSettings.PG_URL, BridgeSettings.PG_USER, BridgeSettings.PG_PASSWORD);

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    BridgeConfig config = BridgeConfig.from(SettingOptions.values(spec, SETTINGS, System.getenv()));
    int applied = SchemaMigrator.migrate(config.pgUrl(), config.pgUser(), config.pgPassword());
    System.out.println("applied " + applied + " migration(s) to " + config.pgUrl());
    return 0;
  }
}
