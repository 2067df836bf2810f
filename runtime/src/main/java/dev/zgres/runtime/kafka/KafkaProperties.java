package dev.zgres.runtime.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the lists through which users pass extra Kafka client settings (TLS, SASL, tuning),
 * refusing the keys zgres fixes because they are its delivery contract. A list is {@code
 * key=value,key=value} on one line, or one {@code key=value} per line (as a {@code *_FILE} holds
 * it; then a value may contain commas, as a JAAS password may). These lists carry secrets, so an
 * error names a key at most, never a value.
 */
public final class KafkaProperties {
  private KafkaProperties() {}

  /**
   * @throws IllegalArgumentException naming the entry that is not {@code key=value}, by position,
   *     or the key in {@code fixed} that it sets
   */
  public static Map<String, String> parse(String list, List<String> fixed) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] entries = list.contains("\n") ? list.split("\r?\n") : list.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i];
      if (entry.isBlank() || entry.strip().startsWith("#")) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new IllegalArgumentException(
            "entries must look like key=value (entry " + (i + 1) + " does not)");
      }
      String key = entry.substring(0, eq).trim();
      if (fixed.contains(key)) {
        throw new IllegalArgumentException("must not set " + key + ", which zgres fixes");
      }
      out.put(key, entry.substring(eq + 1).trim());
    }
    return out;
  }
}
