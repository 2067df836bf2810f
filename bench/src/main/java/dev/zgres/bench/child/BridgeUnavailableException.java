package dev.zgres.bench.child;

/**
 * The bridge in this build cannot run the requested configuration (e.g. a source not built yet).
 */
public final class BridgeUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public BridgeUnavailableException(String message) {
    super(message);
  }
}
