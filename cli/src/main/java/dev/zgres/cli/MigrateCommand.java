package dev.zgres.cli;

import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
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
  static final List<Setting> SETTINGS = CommonSettings.POSTGRES;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, SETTINGS, System.getenv()));
    PgEndpoint database = CommonSettings.postgres(values);
    values.throwIfInvalid();
    int applied = SchemaMigrator.migrate(database);
    System.out.println("applied " + applied + " migration(s) to " + database.jdbcUrl());
    return 0;
  }
}
