package dev.zgres.consumers.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary key as {@code --after} takes it and progress lines print it: the value itself for a key
 * of one column ({@code --after 4500}), a JSON array of the values as text for a key of several
 * ({@code --after '["eu","4500"]'}). PostgreSQL casts each value back to its column's type.
 */
public final class BackfillKey {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackfillKey() {}

  /**
   * @throws IllegalArgumentException with the rule, phrased to follow {@code --after}
   */
  public static List<String> parse(String text, int columns) {
    if (columns == 1) {
      return List.of(text);
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isArray() || node.size() != columns) {
      throw new IllegalArgumentException(
          "must be a JSON array of the "
              + columns
              + " primary key values, as progress lines print it (was "
              + text
              + ")");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode v : node) {
      if (v.isNull() || v.isContainerNode()) {
        throw new IllegalArgumentException(
            "must hold the key values as strings or numbers (was " + text + ")");
      }
      values.add(v.asText());
    }
    return List.copyOf(values);
  }

  /** The key as {@code --after} takes it. */
  public static String format(List<String> key) {
    if (key.size() == 1) {
      return key.get(0);
    }
    return JSON.valueToTree(key).toString();
  }

  /** {@link #format}, quoted for a POSIX shell when it needs to be. */
  public static String shellWord(List<String> key) {
    String word = format(key);
    if (word.matches("[A-Za-z0-9_.:+@%/=-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
