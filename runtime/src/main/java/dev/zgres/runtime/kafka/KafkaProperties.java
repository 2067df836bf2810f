package dev.zgres.runtime.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code key=value,key=value} lists through which users pass extra Kafka client settings
 * (TLS, SASL, tuning), refusing the keys zgres fixes because they are its delivery contract.
 */
public final class KafkaProperties {
  private KafkaProperties() {}

  /**
   * @throws IllegalArgumentException naming the entry that is not {@code key=value} or sets a key
   *     in {@code fixed}
   */
  public static Map<String, String> parse(String list, List<String> fixed) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "entries must look like key=value (was " + entry.trim() + ")");
      }
      String key = entry.substring(0, eq).trim();
      if (fixed.contains(key)) {
        throw new IllegalArgumentException(
            "must not set " + key + ", which zgres fixes (was " + entry.trim() + ")");
      }
      out.put(key, entry.substring(eq + 1).trim());
    }
    return out;
  }
}
