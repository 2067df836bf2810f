package dev.zgres.consumers.backfill;

import dev.zgres.runtime.settings.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * One backfill, as the command line asks for it; checked when built.
 *
 * @param after the key to start after ({@link BackfillKey} form), or null for the first row
 * @param resume start after the key the previous, interrupted, run of the source reached
 * @param batchSize rows per transaction
 * @param rate rows per second at most; 0 for no limit
 */
public record BackfillRequest(
    BackfillSource source, String after, boolean resume, int batchSize, int rate) {
  public BackfillRequest {
    List<String> problems = new ArrayList<>();
    if (after != null && resume) {
      problems.add("--after and --resume cannot be used together");
    }
    if (after != null && after.isBlank()) {
      problems.add("--after must not be empty");
    }
    if (batchSize < 1 || batchSize > 100_000) {
      problems.add("--batch-size must be between 1 and 100000 (was " + batchSize + ")");
    }
    if (rate < 0) {
      problems.add("--rate must be at least 0 (was " + rate + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
