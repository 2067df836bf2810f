package dev.zgres.runtime.postgres;

import dev.zgres.runtime.settings.PgEndpoint;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the numbered migrations of {@code sql/} (shipped in the jar under {@code zgres/sql}) with
 * Flyway. The launcher's {@code migrate} command, the demo, the benchmark and the tests all call
 * this, so there is one copy of the schema.
 */
public final class SchemaMigrator {
  public static final String LOCATION = "classpath:zgres/sql";
  private static final String HISTORY_TABLE = "schema_history";

  private SchemaMigrator() {}

  /** Migrates a single-server database to the latest version; returns how many migrations ran. */
  public static int migrate(PgEndpoint database) {
    return migrate(database, new SchemaRole.Single());
  }

  /**
   * Migrates a database in its role (single server, PL/Proxy partition or proxy) to the latest
   * version; returns how many migrations ran.
   */
  public static int migrate(PgEndpoint database, SchemaRole role) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(database.jdbcUrl(), database.user(), database.password())
            .locations(role.locations().toArray(String[]::new))
            .placeholders(role.placeholders())
            .schemas("zgres")
            .table(HISTORY_TABLE)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
