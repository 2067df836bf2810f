package dev.zgres.bridge.route;

/** The routing key of a payload cannot be derived; the message is the dead-letter reason. */
public final class KeyDerivationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyDerivationException(String reason) {
    super(reason, null, false, false);
  }
}
