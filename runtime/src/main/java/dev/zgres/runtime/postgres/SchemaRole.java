package dev.zgres.runtime.postgres;

import java.util.List;
import java.util.Map;

/**
 * What a database is in a chat deployment, and so which migrations {@link SchemaMigrator} applies
 * to it (Flyway locations in the jar) with which parameters (Flyway placeholders).
 *
 * <ul>
 *   <li>{@link Single}: one server holds everything; {@code sql/}.
 *   <li>{@link Partition}: partition {@code number} of {@code count} of the PL/Proxy cluster;
 *       {@code sql/} and then {@code sql/plproxy/partition/}.
 *   <li>{@link Proxy}: the PL/Proxy database, with no chat data; {@code sql/plproxy/proxy/} only.
 * </ul>
 */
public sealed interface SchemaRole {
  /** The Flyway locations, in order. */
  List<String> locations();

  /** The values of the {@code ${name}} placeholders in the migrations. */
  Map<String, String> placeholders();

  /** One database with the whole chat. */
  record Single() implements SchemaRole {
    @Override
    public List<String> locations() {
      return List.of(SchemaMigrator.LOCATION);
    }

    @Override
    public Map<String, String> placeholders() {
      return Map.of();
    }
  }

  /**
   * Partition {@code number} (0 to count - 1) of {@code count} (a power of two from 1 to 256, the
   * slots an id carries).
   */
  record Partition(int number, int count) implements SchemaRole {
    public Partition {
      if (count < 1 || count > 256 || Integer.bitCount(count) != 1) {
        throw new IllegalArgumentException(
            "partition count must be a power of two from 1 to 256 (was " + count + ")");
      }
      if (number < 0 || number >= count) {
        throw new IllegalArgumentException(
            "partition number must be from 0 to " + (count - 1) + " (was " + number + ")");
      }
    }

    @Override
    public List<String> locations() {
      return List.of(SchemaMigrator.LOCATION, "classpath:zgres/plproxy/partition");
    }

    @Override
    public Map<String, String> placeholders() {
      return Map.of(
          "zgres_partition", String.valueOf(number), "zgres_partitions", String.valueOf(count));
    }
  }

  /**
   * The proxy of a cluster whose partitions are the libpq connection strings {@code partitions} (in
   * partition order, a power of two of them), where it logs in as {@code user} with {@code
   * password}.
   */
  record Proxy(List<String> partitions, String user, String password) implements SchemaRole {
    public Proxy {
      partitions = List.copyOf(partitions);
      if (partitions.isEmpty() || Integer.bitCount(partitions.size()) != 1) {
        throw new IllegalArgumentException(
            "the number of partitions must be a power of two (was " + partitions.size() + ")");
      }
      for (String value : List.of(user, password, String.join("|", partitions))) {
        if (value.contains("$zgres$")) {
          throw new IllegalArgumentException("PL/Proxy settings must not contain $zgres$");
        }
      }
      for (String partition : partitions) {
        if (partition.isBlank() || partition.contains("|")) {
          throw new IllegalArgumentException(
              "a partition's connection string must not be blank or contain '|' (was \""
                  + partition
                  + "\")");
        }
      }
    }

    @Override
    public List<String> locations() {
      return List.of("classpath:zgres/plproxy/proxy");
    }

    @Override
    public Map<String, String> placeholders() {
      return Map.of(
          "plproxy_partitions", String.join("|", partitions),
          "plproxy_user", user,
          "plproxy_password", password);
    }

    @Override
    public String toString() {
      return "Proxy[partitions=" + partitions + ", user=" + user + "]";
    }
  }
}
