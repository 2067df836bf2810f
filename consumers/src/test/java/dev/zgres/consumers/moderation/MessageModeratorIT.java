package dev.zgres.consumers.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.chat.ChatEvent;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The moderator's per-message work against a real, migrated PostgreSQL (no Kafka here). */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageModeratorIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aScamLandsInTheModerationQueueWithAMessageModeratedEventAndASafeMessageLeavesNoTrace()
      throws SQLException, IOException {
    PgEndpoint db = TestServers.freshDatabase();
    MessageModerator moderator;
    try (Connection c = TestServers.connect(db);
        Connection listener = TestServers.connect(db)) {
      moderator =
          new MessageModerator(
              SharedEmbedder.get(),
              ContentModerator.train(
                  SharedEmbedder.get(), LabelledSet.fromResource(ContentModerator.DATA)),
              new ModerationStore(c));
      int user =
          value(
              c, "SELECT chat.register_user('mallory', 'correct horse battery', 'm@example.org')");
      int channel = value(c, "SELECT chat.create_channel(" + user + ", 'market', 'public', NULL)");
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN chat_message_" + channel);
        s.execute("LISTEN zgres_relay");
      }
      String scamText = "send 1 BTC to my wallet and get 3 BTC back tomorrow, guaranteed";
      ChatEvent scam = post(c, user, channel, scamText);
      ChatEvent safe = post(c, user, channel, "the weekly sync moved to Thursday");

      Verdict scamVerdict = moderator.handle(scam);
      Verdict safeVerdict = moderator.handle(safe);
      moderator.handle(scam);

      assertThat(scamVerdict.flagged()).isTrue();
      assertThat(scamVerdict.category()).isEqualTo("scam");
      assertThat(safeVerdict.flagged()).isFalse();
      assertThat(
              value(
                  c,
                  "SELECT count(*) FROM chat.moderation_queue WHERE message_id = "
                      + scam.messageId()))
          .isEqualTo(1);
      assertThat(
              value(
                  c,
                  "SELECT count(*) FROM chat.moderation_queue WHERE message_id = "
                      + safe.messageId()))
          .isZero();
      assertThat(
              value(
                  c,
                  "SELECT count(*) FROM chat.messages WHERE jsonb_exists(metadata, 'moderated') AND id = "
                      + safe.messageId()))
          .isZero();

      List<JsonNode> events = awaitEvents(listener, 4);
      assertThat(events)
          .extracting(e -> e.get("event").asText())
          .containsExactly(
              "message_created", "message_created", "message_moderated", "message_moderated");
      JsonNode moderated = events.get(2);
      assertThat(moderated.get("message_id").asLong()).isEqualTo(scam.messageId());
      assertThat(moderated.get("risk_level").asText()).isIn("warning", "unsafe");
      assertThat(moderated.get("category").asText()).isEqualTo("scam");
    }
  }

  private static List<JsonNode> awaitEvents(Connection listener, int count)
      throws SQLException, IOException {
    PGConnection pg = listener.unwrap(PGConnection.class);
    List<JsonNode> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (out.size() < count && System.nanoTime() < deadline) {
      PGNotification[] batch = pg.getNotifications(200);
      if (batch != null) {
        for (PGNotification n : batch) {
          String payload = n.getParameter();
          if (n.getName().equals("zgres_relay")) {
            payload = payload.substring(payload.indexOf('\n') + 1);
          }
          out.add(JSON.readTree(payload));
        }
      }
    }
    return out;
  }

  private static ChatEvent post(Connection c, int user, int channel, String text)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
      s.setInt(1, user);
      s.setInt(2, channel);
      s.setString(3, text);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new ChatEvent(
            "message_created", rs.getLong(1), channel, user, "mallory", text, "user");
      }
    }
  }

  private static int value(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
