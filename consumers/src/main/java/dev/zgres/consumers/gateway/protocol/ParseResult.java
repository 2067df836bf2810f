package dev.zgres.consumers.gateway.protocol;

/** What a client's text frame was: a valid frame, or why it is refused. */
public sealed interface ParseResult {

  record Valid(ClientFrame frame) implements ParseResult {}

  /**
   * A refused frame. {@code code} is one of the {@code error} frame codes ({@link ErrorCodes});
   * {@code message} is safe to show to the client; {@code id} is the request id when one could be
   * read, else null.
   */
  record Invalid(String code, String message, String id) implements ParseResult {}
}
