package dev.zgres.cli;

import dev.zgres.runtime.postgres.SchemaMigrator;
import dev.zgres.runtime.postgres.SchemaRole;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Apply the SQL migrations (schema zgres and chat) to the database, or those of its role in"
            + " a PL/Proxy cluster (ZGRES_SCHEMA_ROLE).")
final class MigrateCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS = settings();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, SETTINGS, System.getenv()));
    PgEndpoint database = CommonSettings.postgres(values);
    SchemaRole role = SchemaRoleSettings.role(values);
    values.throwIfInvalid();
    int applied = SchemaMigrator.migrate(database, role);
    System.out.println(
        "applied " + applied + " migration(s) to " + database.shownUrl() + " as " + role);
    return 0;
  }

  private static List<Setting> settings() {
    List<Setting> all = new ArrayList<>(CommonSettings.POSTGRES);
    all.addAll(SchemaRoleSettings.ALL);
    return List.copyOf(all);
  }
}
