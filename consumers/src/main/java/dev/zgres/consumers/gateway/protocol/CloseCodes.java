package dev.zgres.consumers.gateway.protocol;

/**
 * The WebSocket close codes of the gateway protocol (DESIGN.md, "Gateway protocol"). Codes 40xx
 * invite a reconnect (with a new token when it expired, then resume); codes 45xx mean the client
 * must not reconnect as it is.
 */
public final class CloseCodes {
  /** The server is going away (shutdown); reconnect and resume. */
  public static final int GOING_AWAY = 4000;

  /** The client read too slowly and its send queue filled; reconnect and resume. */
  public static final int TOO_SLOW = 4001;

  /** The token expired and was not refreshed in time; reconnect with a new token and resume. */
  public static final int TOKEN_EXPIRED = 4002;

  /** No {@code auth} frame arrived within the authentication timeout. */
  public static final int NO_AUTH = 4500;

  /** The token was missing, forged, malformed or already expired. */
  public static final int BAD_TOKEN = 4501;

  /** Too many malformed frames, or a frame over the size limit. */
  public static final int MALFORMED = 4502;

  /** The client did something it is not allowed to do, repeatedly. */
  public static final int FORBIDDEN = 4503;

  /** The largest text frame the server accepts, in bytes. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private CloseCodes() {}
}
