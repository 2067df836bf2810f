package dev.zgres.consumers.gateway.token;

import java.time.Instant;

/** What a presented token turned out to be. */
public sealed interface TokenCheck {

  /** A token this gateway's secret signed, not yet expired. */
  record Valid(int userId, Instant expiresAt) implements TokenCheck {}

  /** A token that is refused; {@code reason} is a metric label and safe to show. */
  record Refused(Reason reason) implements TokenCheck {}

  enum Reason {
    /** Signed by us, but past its expiry. */
    EXPIRED,
    /** Not signed with our secret, or signed with another algorithm. */
    FORGED,
    /** Not a JWT at all, or without the claims we issue. */
    MALFORMED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
