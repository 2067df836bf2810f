package dev.zgres.bridge.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {

  @Test
  void decodesBeginWithFinalLsnCommitTimeAndXid() throws IOException {
    byte[] bytes =
        frame(
            out -> {
              out.writeByte('B');
              out.writeLong(0x16B3748L);
              out.writeLong(789L);
              out.writeInt(742);
            });
    assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(bytes)))
        .isEqualTo(new PgOutputMessage.Begin(0x16B3748L, 789L, 742));
  }

  @Test
  void decodesTransactionalMessageWithPrefixAndContentVerbatim() throws IOException {
    byte[] content = "{\"é\":\"✓\"}\u0000tail".getBytes(StandardCharsets.UTF_8);
    byte[] bytes =
        frame(
            out -> {
              out.writeByte('M');
              out.writeByte(1);
              out.writeLong(0x100000028L);
              out.write("zgres:chat_message_7".getBytes(StandardCharsets.UTF_8));
              out.writeByte(0);
              out.writeInt(content.length);
              out.write(content);
            });
    var message = (PgOutputMessage.LogicalMessage) PgOutputDecoder.decode(ByteBuffer.wrap(bytes));
    assertThat(message.transactional()).isTrue();
    assertThat(message.lsn()).isEqualTo(0x100000028L);
    assertThat(message.prefix()).isEqualTo("zgres:chat_message_7");
    assertThat(message.content()).isEqualTo(content);
  }

  @Test
  void decodesNonTransactionalMessageFlag() throws IOException {
    byte[] bytes =
        frame(
            out -> {
              out.writeByte('M');
              out.writeByte(0);
              out.writeLong(5L);
              out.writeByte(0);
              out.writeInt(0);
            });
    var message = (PgOutputMessage.LogicalMessage) PgOutputDecoder.decode(ByteBuffer.wrap(bytes));
    assertThat(message.transactional()).isFalse();
    assertThat(message.prefix()).isEmpty();
    assertThat(message.content()).isEmpty();
  }

  @Test
  void decodesCommitWithCommitAndEndLsn() throws IOException {
    byte[] bytes =
        frame(
            out -> {
              out.writeByte('C');
              out.writeByte(0);
              out.writeLong(100L);
              out.writeLong(130L);
              out.writeLong(999L);
            });
    assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(bytes)))
        .isEqualTo(new PgOutputMessage.Commit(100L, 130L, 999L));
  }

  @Test
  void skipsRelationsAndRowChangesByTheirTag() {
    assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(new byte[] {'R', 0, 0, 1})))
        .isEqualTo(new PgOutputMessage.Skipped('R'));
    assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(new byte[] {'I'})))
        .isEqualTo(new PgOutputMessage.Skipped('I'));
  }

  @Test
  void rejectsTruncatedMessagesNamingTheirType() throws IOException {
    byte[] bytes =
        frame(
            out -> {
              out.writeByte('M');
              out.writeByte(1);
              out.writeLong(5L);
              out.write("zgres:x".getBytes(StandardCharsets.UTF_8));
              out.writeByte(0);
              out.writeInt(10);
              out.write(new byte[3]);
            });
    assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("content length 10");
    assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.wrap(new byte[] {'B', 1, 2})))
        .hasMessageContaining("truncated pgoutput message of type 'B'");
    assertThatThrownBy(
            () ->
                PgOutputDecoder.decode(
                    ByteBuffer.wrap(new byte[] {'M', 1, 0, 0, 0, 0, 0, 0, 0, 1, 'z'})))
        .hasMessageContaining("terminating NUL");
  }

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] frame(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    }
    return bytes.toByteArray();
  }
}
