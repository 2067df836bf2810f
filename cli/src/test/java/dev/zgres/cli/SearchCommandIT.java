package dev.zgres.cli;

import static dev.zgres.cli.ChatWorkers.channel;
import static dev.zgres.cli.ChatWorkers.post;
import static dev.zgres.cli.ChatWorkers.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.embed.TextEmbedder;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code bin/zgres search --user <id> "query"} as a user runs it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SearchCommandIT {
  @Test
  void printsTheClosestMessagesTheUserMayReadAndNothingFromAPrivateChannel() throws Exception {
    PgEndpoint db = TestServers.freshDatabase();
    TextEmbedder embedder = ChatWorkers.embedder();
    int owner;
    int outsider;
    try (Connection c = TestServers.connect(db)) {
      owner = user(c, "owner");
      outsider = user(c, "outsider");
      int open = channel(c, owner, "open", "public");
      int secret = channel(c, owner, "secret", "private");
      analysed(c, embedder, post(c, owner, open, "the backup job runs every night at 2am"));
      analysed(c, embedder, post(c, owner, open, "pizza on friday?"));
      analysed(c, embedder, post(c, owner, secret, "the secret backup key is in the vault"));
    }

    String asOwner = search(db, owner, "when does the backup run?");
    String asOutsider = search(db, outsider, "when does the backup run?");
    System.out.print(asOwner);

    assertThat(asOwner.lines().findFirst().orElseThrow())
        .contains("the backup job runs every night");
    assertThat(asOwner).contains("secret backup key");
    assertThat(asOutsider).contains("the backup job runs every night").doesNotContain("secret");
  }

  private static String search(PgEndpoint db, int user, String query) {
    CommandLine cli = ZgresMain.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    int status =
        cli.execute(
            "search",
            "--pg-url",
            db.jdbcUrl(),
            "--pg-user",
            db.user(),
            "--pg-password",
            db.password(),
            "--user",
            String.valueOf(user),
            query);
    assertThat(status).as("exit status; output:%n%s", out).isZero();
    return out.toString();
  }

  private static void analysed(Connection c, TextEmbedder embedder, long message) throws Exception {
    String content;
    try (PreparedStatement s =
        c.prepareStatement("SELECT content FROM chat.messages WHERE id = ?")) {
      s.setLong(1, message);
      try (var rs = s.executeQuery()) {
        rs.next();
        content = rs.getString(1);
      }
    }
    float[] v = embedder.embed(content);
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    try (PreparedStatement s =
        c.prepareStatement("SELECT chat.store_message_analysis(?, ?, NULL)")) {
      s.setLong(1, message);
      s.setArray(2, c.createArrayOf("real", boxed));
      s.execute();
    }
  }
}
