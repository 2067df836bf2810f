package dev.zgres.consumers.gateway.protocol;

/** The {@code code} values of {@code error} frames. */
public final class ErrorCodes {
  /** The frame is not a JSON object with a string {@code type}. */
  public static final String MALFORMED = "malformed";

  /** The {@code type} is not one the server knows. */
  public static final String UNKNOWN_TYPE = "unknown_type";

  /** A field is missing or has the wrong type or value. */
  public static final String INVALID = "invalid";

  /** The frame is larger than {@link CloseCodes#MAX_FRAME_BYTES}. */
  public static final String TOO_LARGE = "too_large";

  /** The user may not read (or write) that channel. */
  public static final String FORBIDDEN = "forbidden";

  /** No such channel. */
  public static final String NOT_FOUND = "not_found";

  /** Too many frames of this kind in a short time; slow down. */
  public static final String RATE_LIMITED = "rate_limited";

  /** Authenticate first. */
  public static final String NOT_AUTHENTICATED = "not_authenticated";

  /** The server could not do it now (database unavailable...); retry later. */
  public static final String UNAVAILABLE = "unavailable";

  private ErrorCodes() {}
}
