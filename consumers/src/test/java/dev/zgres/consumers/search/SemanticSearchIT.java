package dev.zgres.consumers.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.testkit.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SemanticSearchIT {
  @Test
  void findsByMeaningAndNeverShowsAPrivateChannelToANonMember() throws SQLException {
    TextEmbedder embedder = SharedEmbedder.get();
    try (Connection c = TestServers.connect(TestServers.freshDatabase())) {
      int owner =
          value(c, "SELECT chat.register_user('owner', 'correct horse battery', 'o@example.org')");
      int outsider =
          value(
              c, "SELECT chat.register_user('outsider', 'correct horse battery', 'x@example.org')");
      int open = value(c, "SELECT chat.create_channel(" + owner + ", 'open', 'public', NULL)");
      int secret = value(c, "SELECT chat.create_channel(" + owner + ", 'secret', 'private', NULL)");
      long deploy = post(c, embedder, owner, open, "the deployment to production finished at noon");
      post(c, embedder, owner, open, "who wants pizza for lunch?");
      long salary =
          post(c, embedder, owner, secret, "the production deployment plan for the secret project");

      SemanticSearch search = new SemanticSearch(embedder);
      List<SemanticSearch.Hit> forOwner =
          search.search(c, owner, "when was prod deployed?", null, 2);
      List<SemanticSearch.Hit> forOutsider =
          search.search(c, outsider, "when was prod deployed?", null, 10);

      assertThat(forOwner)
          .extracting(SemanticSearch.Hit::messageId)
          .containsExactlyInAnyOrder(deploy, salary);
      assertThat(forOutsider.get(0).messageId()).isEqualTo(deploy);
      assertThat(forOutsider).extracting(SemanticSearch.Hit::channelId).doesNotContain(secret);
      assertThatThrownBy(() -> search.search(c, outsider, "deploy", secret, 10))
          .isInstanceOf(PSQLException.class)
          .hasMessageContaining("is not a member of private channel");
    }
  }

  private static long post(Connection c, TextEmbedder embedder, int user, int channel, String text)
      throws SQLException {
    long id;
    try (PreparedStatement s = c.prepareStatement("SELECT chat.post_message(?, ?, ?)")) {
      s.setInt(1, user);
      s.setInt(2, channel);
      s.setString(3, text);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    float[] v = embedder.embed(text);
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    try (PreparedStatement s =
        c.prepareStatement("SELECT chat.store_message_analysis(?, ?, NULL)")) {
      s.setLong(1, id);
      s.setArray(2, c.createArrayOf("real", boxed));
      s.execute();
    }
    return id;
  }

  private static int value(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
