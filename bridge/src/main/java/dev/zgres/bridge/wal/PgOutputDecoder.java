package dev.zgres.bridge.wal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one {@code pgoutput} message (protocol version 1, the payload of one XLogData frame).
 * Layouts, from the PostgreSQL documentation "Logical Replication Message Formats":
 *
 * <pre>
 *   Begin   'B' Int64 final LSN, Int64 commit time, Int32 xid
 *   Message 'M' Int8 flags (1 = transactional), Int64 LSN, String prefix (NUL-terminated),
 *               Int32 length, Byte[length] content
 *   Commit  'C' Int8 flags, Int64 commit LSN, Int64 end LSN, Int64 commit time
 * </pre>
 *
 * (Version 1 never streams in-progress transactions, so no message carries a leading xid.)
 */
final class PgOutputDecoder {
  private PgOutputDecoder() {}

  /**
   * @throws IllegalArgumentException when a message the bridge reads is truncated or malformed
   */
  static PgOutputMessage decode(ByteBuffer buffer) {
    if (!buffer.hasRemaining()) {
      throw new IllegalArgumentException("empty pgoutput message");
    }
    char type = (char) buffer.get();
    try {
      return switch (type) {
        case 'B' -> new PgOutputMessage.Begin(buffer.getLong(), buffer.getLong(), buffer.getInt());
        case 'M' -> message(buffer);
        case 'C' -> {
          buffer.get();
          yield new PgOutputMessage.Commit(buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
        default -> new PgOutputMessage.Skipped(type);
      };
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated pgoutput message of type '" + type + "'", e);
    }
  }

  private static PgOutputMessage.LogicalMessage message(ByteBuffer buffer) {
    boolean transactional = (buffer.get() & 1) != 0;
    long lsn = buffer.getLong();
    String prefix = cstring(buffer);
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      throw new IllegalArgumentException(
          "pgoutput message content length "
              + length
              + " does not fit the "
              + buffer.remaining()
              + " bytes left");
    }
    byte[] content = new byte[length];
    buffer.get(content);
    return new PgOutputMessage.LogicalMessage(transactional, lsn, prefix, content);
  }

  private static String cstring(ByteBuffer buffer) {
    int start = buffer.position();
    int end = start;
    while (end < buffer.limit() && buffer.get(end) != 0) {
      end++;
    }
    if (end == buffer.limit()) {
      throw new IllegalArgumentException("pgoutput string without its terminating NUL");
    }
    byte[] bytes = new byte[end - start];
    buffer.get(bytes);
    buffer.get();
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
