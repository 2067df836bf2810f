package dev.zgres.bridge.wal;

import static dev.zgres.testkit.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.events.EventHeaders;
import dev.zgres.runtime.settings.ConfigException;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import dev.zgres.testkit.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input for the bridge, counted: payloads that are not JSON, not UTF-8, hold NUL bytes or
 * weigh 10 MB; channel names that are hostile or make illegal topics; routes whose keys or topics
 * cannot be made; malformed pgoutput; bad settings. Each gets a clear error or a dead letter, the
 * bridge stays up, and the well-formed events sent after each one all arrive, in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileInputIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger CHECKED = new AtomicInteger();
  private static final String OK = "h_ok";
  private static PgEndpoint db;
  private static String kafka;

  @BeforeAll
  static void servers() throws Exception {
    db = TestServers.freshDatabase();
    kafka = TestServers.kafkaBootstrap();
  }

  @AfterAll
  static void count() {
    System.out.println("hostile inputs checked: " + CHECKED.get());
  }

  private interface Outcome extends Predicate<ConsumerRecord<byte[], byte[]>> {}

  private static Outcome arrives(String topic, byte[] value) {
    return r -> r.topic().equals(topic) && Arrays.equals(r.value(), value);
  }

  private static Outcome deadLetter(String topic, String marker, String reason) {
    return r ->
        r.topic().equals(topic)
            && new String(r.value(), StandardCharsets.UTF_8).contains(marker)
            && header(r, EventHeaders.DLQ_REASON) != null
            && header(r, EventHeaders.DLQ_REASON).contains(reason);
  }

  @Test
  void walSourceCarriesOrDeadLettersEveryHostileEventAndLosesNothingElse() throws Exception {
    String slot = "zgres_hostile_" + ProcessHandle.current().pid();
    Map<String, String> env = new HashMap<>(TestSettings.of(db, kafka).toMap());
    env.put("ZGRES_SOURCE", "wal");
    env.put("ZGRES_SLOT", slot);
    env.put("ZGRES_ROUTES", "h_key_*=h.keyed|{$.id};h_tpl_*=h.t.{*}|{channel}");
    List<String> topics =
        List.of(OK, "h_text", "h_bytes", "h_big.dlq", "h.keyed", "h.keyed.dlq", "zgres.dlq");
    createTopics(topics);
    byte[] big = new byte[10 * 1024 * 1024];
    Arrays.fill(big, (byte) 'x');
    System.arraycopy(utf8("big-10mb"), 0, big, 0, 8);
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    try (Bridge bridge = Bridge.start(BridgeConfig.from(env));
        TopicReader reader = new TopicReader(kafka, topics);
        Connection c = TestServers.connect(db);
        PreparedStatement emit =
            c.prepareStatement("SELECT pg_logical_emit_message(true, 'zgres:' || ?, ?::bytea)")) {
      List<Object[]> cases = new ArrayList<>();
      cases.add(walCase("h_text", utf8("not json {"), arrives("h_text", utf8("not json {"))));
      byte[] notUtf8 = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28};
      cases.add(walCase("h_bytes", notUtf8, arrives("h_bytes", notUtf8)));
      byte[] nuls = {'n', 'u', 'l', 0, 0, 'x', 0};
      cases.add(walCase("h_bytes", nuls, arrives("h_bytes", nuls)));
      cases.add(walCase("h_bytes", new byte[0], arrives("h_bytes", new byte[0])));
      cases.add(walCase("h_text", utf8(deep), arrives("h_text", utf8(deep))));
      cases.add(walCase("h_big", big, deadLetter("h_big.dlq", "big-10mb", "")));
      cases.add(
          walCase(
              "h_evil\"; DROP TABLE x; --",
              utf8("evil-quote"),
              deadLetter("zgres.dlq", "evil-quote", "not a legal Kafka topic name")));
      cases.add(
          walCase(
              "h_канал", utf8("evil-cyrillic"), deadLetter("zgres.dlq", "evil-cyrillic", "legal")));
      cases.add(
          walCase(
              "h_" + "x".repeat(300),
              utf8("evil-long"),
              deadLetter("zgres.dlq", "evil-long", "legal")));
      cases.add(walCase("", utf8("evil-empty"), deadLetter("zgres.dlq", "evil-empty", "legal")));
      cases.add(
          walCase(
              "h_line\nbreak",
              utf8("evil-newline"),
              deadLetter("zgres.dlq", "evil-newline", "legal")));
      cases.add(walCase(".", utf8("evil-dot"), deadLetter("zgres.dlq", "evil-dot", "legal")));
      cases.add(
          walCase(
              "h_key_a", utf8("key-not-json"), deadLetter("h.keyed.dlq", "key-not-json", "key")));
      cases.add(
          walCase(
              "h_key_b",
              utf8("{\"missing\":\"key-missing\"}"),
              deadLetter("h.keyed.dlq", "key-missing", "key")));
      cases.add(
          walCase(
              "h_key_c",
              utf8("{\"id\":null,\"m\":\"key-null\"}"),
              deadLetter("h.keyed.dlq", "key-null", "key")));
      cases.add(
          walCase(
              "h_key_d",
              utf8("{\"id\":{\"a\":1},\"m\":\"key-object\"}"),
              deadLetter("h.keyed.dlq", "key-object", "key")));
      cases.add(
          walCase(
              "h_key_e",
              utf8("[\"key-deep\"," + deep + "]"),
              deadLetter("h.keyed.dlq", "key-deep", "key")));
      byte[] keyNotUtf8 = {'k', 'e', 'y', '-', 'u', 't', 'f', (byte) 0xff};
      cases.add(walCase("h_key_f", keyNotUtf8, deadLetter("h.keyed.dlq", "key-utf", "key")));
      cases.add(
          walCase(
              "h_tpl_a b",
              utf8("tpl-space"),
              deadLetter("zgres.dlq", "tpl-space", "not a legal Kafka topic name")));
      cases.add(
          walCase(
              "h_tpl_" + "y".repeat(260),
              utf8("tpl-long"),
              deadLetter("zgres.dlq", "tpl-long", "legal")));
      cases.add(
          walCase(
              "h_key_ok",
              utf8("{\"id\":\"k1\",\"m\":\"key-ok\"}"),
              r -> r.topic().equals("h.keyed") && "k1".equals(TopicReader.text(r.key()))));

      int sentinel = 0;
      List<byte[]> sentinels = new ArrayList<>();
      for (Object[] hostile : cases) {
        emit.setString(1, (String) hostile[0]);
        emit.setBytes(2, (byte[]) hostile[1]);
        emit.execute();
        byte[] ok = utf8("ok-" + sentinel++);
        sentinels.add(ok);
        emit.setString(1, OK);
        emit.setBytes(2, ok);
        emit.execute();
        Outcome expected = (Outcome) hostile[2];
        List<ConsumerRecord<byte[], byte[]>> seen =
            reader.readUntil(got -> got.stream().anyMatch(expected), WAIT);
        assertThat(seen)
            .as("outcome of hostile wal event on channel %s", abbreviate((String) hostile[0]))
            .anyMatch(expected);
        assertThat(bridge.health().up()).as("bridge up").isTrue();
        CHECKED.incrementAndGet();
      }
      List<byte[]> delivered =
          reader
              .readUntil(
                  got -> got.stream().filter(r -> r.topic().equals(OK)).count() >= sentinels.size(),
                  WAIT)
              .stream()
              .filter(r -> r.topic().equals(OK))
              .map(ConsumerRecord::value)
              .toList();
      assertThat(delivered).as("the well-formed events, in order").hasSize(sentinels.size());
      for (int i = 0; i < sentinels.size(); i++) {
        assertThat(delivered.get(i)).isEqualTo(sentinels.get(i));
      }
    } finally {
      try (Connection c = TestServers.connect(db)) {
        SlotCatalog.drop(c, slot);
      }
    }
  }

  @Test
  void notifySourceRefusesWhatPostgresqlCannotCarryAndDeadLettersTheRest() throws Exception {
    String evil = "n_evil\"; DROP TABLE x; --";
    Map<String, String> env = new HashMap<>(TestSettings.of(db, kafka).toMap());
    env.put("ZGRES_CHANNELS", "n_ok,n_big," + evil);
    List<String> topics = List.of("n_ok", "n_big.dlq", "zgres.dlq");
    createTopics(topics);
    try (Bridge bridge = Bridge.start(BridgeConfig.from(env));
        TopicReader reader = new TopicReader(kafka, topics);
        Connection c = TestServers.connect(db)) {
      writerError(c, "SELECT zgres.emit('n_ok', 'nul' || chr(0) || 'byte')", "null character");
      writerError(
          c,
          "SELECT zgres.emit('n_ok', convert_from('\\xfffe28'::bytea, 'UTF8'))",
          "invalid byte sequence");
      writerError(
          c,
          "SELECT zgres.emit('n_" + "z".repeat(80) + "', 'x')",
          "channel name must be at most 63 bytes");
      emitText(c, "n_big", "notify-big-" + "x".repeat(10 * 1024 * 1024));
      emitText(c, evil, "notify-evil");
      emitText(c, "n_ok", "ok-after");
      assertThat(
              reader.readUntil(
                  got ->
                      got.stream().anyMatch(deadLetter("n_big.dlq", "notify-big-", ""))
                          && got.stream().anyMatch(deadLetter("zgres.dlq", "notify-evil", "legal"))
                          && got.stream().anyMatch(arrives("n_ok", utf8("ok-after"))),
                  WAIT))
          .anyMatch(deadLetter("n_big.dlq", "notify-big-", ""))
          .anyMatch(deadLetter("zgres.dlq", "notify-evil", "legal"))
          .anyMatch(arrives("n_ok", utf8("ok-after")));
      CHECKED.addAndGet(2);
      assertThat(bridge.health().up()).isTrue();
    }
  }

  @Test
  void malformedPgoutputIsRefusedWithAClearError() {
    assertDecodeError(new byte[0], "empty pgoutput message");
    assertDecodeError(new byte[] {'B', 0, 0, 0}, "truncated pgoutput message of type 'B'");
    assertDecodeError(new byte[] {'C', 0, 0}, "truncated pgoutput message of type 'C'");
    assertDecodeError(
        message("zgres:x", 5, new byte[] {1, 2}, false), "without its terminating NUL");
    assertDecodeError(message("zgres:x", 50, new byte[] {1, 2}, true), "does not fit");
    assertDecodeError(message("zgres:x", -1, new byte[] {1, 2}, true), "does not fit");
    assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(new byte[] {'Z', 1, 2, 3})))
        .isInstanceOf(PgOutputMessage.Skipped.class);
    CHECKED.incrementAndGet();
  }

  @Test
  void badSettingsAreRefusedNamingTheSettingAndTheRule() {
    assertConfigError(
        "ZGRES_BACKLOG_CAPACITY", "abc", "ZGRES_BACKLOG_CAPACITY must be a whole number (was abc)");
    assertConfigError(
        "ZGRES_SOURCE", "kafka", "ZGRES_SOURCE must be one of notify, wal (was kafka)");
    assertConfigError(
        "ZGRES_CHANNELS", "ok,bad\0name", "ZGRES_CHANNELS entries must be channel names");
    assertConfigError(
        "ZGRES_ROUTES", "=|", "ZGRES_ROUTES entries must look like pattern=topic|key");
    assertConfigError(
        "ZGRES_SLOT", "x; DROP TABLE y", "ZGRES_SLOT must be 1 to 63 lowercase letters");
    assertConfigError(
        "ZGRES_PG_URL", "mysql://db/x", "ZGRES_PG_URL must start with jdbc:postgresql:");
    assertConfigError(
        "ZGRES_WAL_EXCLUDE", "a,,b", "ZGRES_WAL_EXCLUDE entries must be channel names");
    assertConfigError(
        "ZGRES_WAL_SILENCE_TIMEOUT_MS", "-5", "ZGRES_WAL_SILENCE_TIMEOUT_MS must be between");
    assertConfigError(
        "ZGRES_PRODUCER_PROPERTIES", "enable.idempotence=false", "must not set enable.idempotence");
    assertConfigError(
        "ZGRES_METRICS_PORT", "99999", "ZGRES_METRICS_PORT must be between 0 and 65535");
  }

  private static Object[] walCase(String channel, byte[] payload, Outcome expected) {
    return new Object[] {channel, payload, expected};
  }

  private static void writerError(Connection c, String sql, String message) {
    assertThatThrownBy(
            () -> {
              try (Statement s = c.createStatement()) {
                s.execute(sql);
              }
            })
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(message);
    CHECKED.incrementAndGet();
  }

  private static void emitText(Connection c, String channel, String payload) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT zgres.emit(?, ?)")) {
      p.setString(1, channel);
      p.setString(2, payload);
      p.execute();
    }
  }

  private static void assertDecodeError(byte[] bytes, String message) {
    assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
    CHECKED.incrementAndGet();
  }

  /** A pgoutput 'M' message; {@code terminated} false leaves the prefix without its NUL. */
  private static byte[] message(
      String prefix, int declaredLength, byte[] content, boolean terminated) {
    byte[] p = utf8(prefix);
    ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + p.length + 1 + 4 + content.length);
    b.put((byte) 'M').put((byte) 1).putLong(42).put(p);
    if (terminated) {
      b.put((byte) 0).putInt(declaredLength).put(content);
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void assertConfigError(String setting, String value, String message) {
    Map<String, String> env = new HashMap<>();
    env.put(setting, value);
    assertThatThrownBy(() -> BridgeConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
    CHECKED.incrementAndGet();
  }

  private static void createTopics(List<String> topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      var existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, 1, (short) 1))
              .toList();
      admin.createTopics(missing).all().get();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
