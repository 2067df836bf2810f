package dev.zgres.bridge.config;

import java.util.Locale;

/** Where the bridge reads events from. */
public enum SourceKind {
  /** LISTEN/NOTIFY: at-most-once, delivered at commit. */
  NOTIFY,
  /** A logical replication slot: at-least-once, commit order. */
  WAL;

  public static SourceKind parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
