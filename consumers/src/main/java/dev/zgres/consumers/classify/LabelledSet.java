package dev.zgres.consumers.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled data set read from a class-path resource: one example per line, {@code
 * label<TAB>text}; blank lines and lines starting with {@code #} are skipped.
 *
 * <p>{@link #split(int)} is deterministic and stratified: within each label, every k-th example (in
 * file order) is held out, so each label is represented in both parts.
 */
public record LabelledSet(List<LabelledText> examples) {
  public LabelledSet {
    examples = List.copyOf(examples);
  }

  /** Reads {@code resource} (an absolute class-path name) or fails naming the bad line. */
  public static LabelledSet fromResource(String resource) {
    InputStream in = LabelledSet.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("labelled set " + resource + " is not on the class path");
    }
    List<LabelledText> examples = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab <= 0 || tab == line.length() - 1) {
          throw new IllegalStateException(
              resource + " line " + number + ": expected label<TAB>text (was " + line + ")");
        }
        examples.add(new LabelledText(line.substring(0, tab).trim(), line.substring(tab + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
    return new LabelledSet(examples);
  }

  /** The training part and the held-out part: every {@code k}-th example of each label. */
  public Split split(int k) {
    if (k < 2) {
      throw new IllegalArgumentException("k must be at least 2 (was " + k + ")");
    }
    Map<String, Integer> seen = new HashMap<>();
    List<LabelledText> train = new ArrayList<>();
    List<LabelledText> heldOut = new ArrayList<>();
    for (LabelledText example : examples) {
      int n = seen.merge(example.label(), 1, Integer::sum);
      (n % k == 0 ? heldOut : train).add(example);
    }
    return new Split(new LabelledSet(train), new LabelledSet(heldOut));
  }

  /** The distinct labels, in order of first appearance. */
  public List<String> labels() {
    return examples.stream().map(LabelledText::label).distinct().toList();
  }

  public int size() {
    return examples.size();
  }

  /** A training part and a held-out part that share no example. */
  public record Split(LabelledSet train, LabelledSet heldOut) {}
}
