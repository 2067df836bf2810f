package dev.zgres.bridge.wal;

import java.util.List;

/**
 * PostgreSQL is not set up for the wal source. The message lists every problem found, each with
 * what to change, so an operator fixes them all in one go.
 */
public final class ReplicationSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ReplicationSetupException(List<String> problems) {
    super("PostgreSQL is not ready for ZGRES_SOURCE=wal:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
