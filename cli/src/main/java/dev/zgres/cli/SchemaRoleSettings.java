package dev.zgres.cli;

import dev.zgres.runtime.postgres.SchemaRole;
import dev.zgres.runtime.settings.Rule;
import dev.zgres.runtime.settings.Setting;
import dev.zgres.runtime.settings.SettingValues;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of {@code migrate} that say which role a database has in a chat deployment (see
 * {@code sql/plproxy/README.md}): the whole chat on one server, a partition of a PL/Proxy cluster,
 * or its proxy.
 */
final class SchemaRoleSettings {
  static final Setting ROLE =
      Setting.choice(
          "ZGRES_SCHEMA_ROLE",
          "--schema-role",
          "single",
          "what the database is: `single` (the whole chat), `partition` (of a PL/Proxy cluster) or "
              + "`proxy` (its PL/Proxy database)",
          List.of("single", "partition", "proxy"));
  static final Setting PARTITION =
      Setting.text(
          "ZGRES_PARTITION",
          "--partition",
          "",
          "role partition: its number and the partition count, `<number>/<count>` (e.g. `1/2`; "
              + "the count a power of two up to 256)");
  static final Setting PLPROXY_PARTITIONS =
      Setting.text(
          "ZGRES_PLPROXY_PARTITIONS",
          "--plproxy-partitions",
          "",
          "role proxy: the partitions' libpq connection strings in partition order, separated by `|` "
              + "(e.g. `host=db0 dbname=chat|host=db1 dbname=chat`)");
  static final Setting PLPROXY_USER =
      Setting.required(
          "ZGRES_PLPROXY_USER",
          "--plproxy-user",
          "postgres",
          "role proxy: the user the proxy logs in to the partitions as");
  static final Setting PLPROXY_PASSWORD =
      Setting.secret(
          "ZGRES_PLPROXY_PASSWORD",
          "--plproxy-password",
          "role proxy: that user's password (or `ZGRES_PLPROXY_PASSWORD_FILE`: a file holding it)",
          new Rule.Any());

  static final List<Setting> ALL =
      List.of(ROLE, PARTITION, PLPROXY_PARTITIONS, PLPROXY_USER, PLPROXY_PASSWORD);

  private static final Pattern PARTITION_FORMAT = Pattern.compile("(\\d{1,3})/(\\d{1,3})");

  private SchemaRoleSettings() {}

  /** The role the settings describe; problems are recorded in {@code values}, null then. */
  static SchemaRole role(SettingValues values) {
    String role = values.choice(ROLE);
    if (role == null) {
      return null;
    }
    return switch (role) {
      case "partition" -> partition(values);
      case "proxy" -> proxy(values);
      default -> new SchemaRole.Single();
    };
  }

  private static SchemaRole partition(SettingValues values) {
    String text = values.string(PARTITION);
    Matcher m = PARTITION_FORMAT.matcher(text);
    if (!m.matches()) {
      values.problem(
          PARTITION, "must be <number>/<count> for ZGRES_SCHEMA_ROLE=partition, e.g. 1/2", text);
      return null;
    }
    try {
      return new SchemaRole.Partition(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (IllegalArgumentException e) {
      values.problem(
          PARTITION,
          "must have a count that is a power of two up to 256, and a number below it",
          text);
      return null;
    }
  }

  private static SchemaRole proxy(SettingValues values) {
    String text = values.string(PLPROXY_PARTITIONS);
    List<String> partitions = Arrays.stream(text.split("\\|", -1)).map(String::strip).toList();
    try {
      return new SchemaRole.Proxy(
          partitions, values.string(PLPROXY_USER), values.string(PLPROXY_PASSWORD));
    } catch (IllegalArgumentException e) {
      values.problem(
          PLPROXY_PARTITIONS,
          "must list the partitions for ZGRES_SCHEMA_ROLE=proxy: " + e.getMessage(),
          text);
      return null;
    }
  }
}
