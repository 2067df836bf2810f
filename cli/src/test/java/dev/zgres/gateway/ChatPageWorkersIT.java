package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.testing.Bridges;
import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.moderation.Moderator;
import dev.zgres.consumers.moderation.ModeratorConfig;
import dev.zgres.embedded.EmbeddedKafkaBroker;
import dev.zgres.runtime.lifecycle.Closer;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import dev.zgres.testkit.TestSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The chat page with the whole system behind it: bridge, gateway, AI worker and moderator. The
 * workers read {@code chat.messages} under their own consumer groups, so this class runs its own
 * Kafka broker: no other test's messages reach them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatPageWorkersIT {
  static final Closer parts = new Closer();
  static PgEndpoint db;
  static String base;

  @RegisterExtension final ChatBrowsers browsers = new ChatBrowsers();

  @BeforeAll
  static void start() throws Exception {
    ChatBrowsers.assumeInstalled();
    db = TestServers.freshDatabase();
    EmbeddedKafkaBroker kafka = parts.register(EmbeddedKafkaBroker.launch());
    String bootstrap = kafka.bootstrapServers();
    Bridge bridge = parts.register(Bridges.start(db, bootstrap, Map.of()));
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    Gateway gateway =
        parts.register(
            Gateway.start(
                new GatewayConfig(
                    0,
                    GatewayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                    db,
                    bootstrap,
                    GatewayConfig.Tuning.defaults())));
    Map<String, String> settings =
        TestSettings.of(db, bootstrap)
            .with("ZGRES_RETRY_BACKOFF_MS", "50")
            .with("ZGRES_RETRY_MAX_BACKOFF_MS", "500")
            .with("ZGRES_SHUTDOWN_TIMEOUT_MS", "5000")
            .toMap();
    parts.register(AiWorker.start(AiWorkerConfig.from(settings), embedder, embedder.loadTime()));
    parts.register(Moderator.start(ModeratorConfig.from(settings), embedder, embedder.loadTime()));
    base = "http://127.0.0.1:" + gateway.port();
    assertThat(bridge).isNotNull();
  }

  @AfterAll
  static void stop() {
    parts.close();
  }

  @Test
  void aScamMessageDisappearsForEveryoneAfterModeration() throws Exception {
    int alice = user("alice_scam");
    int bob = user("bob_scam");
    int market = channel(alice, "market", bob);
    ChatPage alicePage = browsers.open(base).logIn("alice_scam", GatewayFixture.PASSWORD);
    ChatPage bobPage = browsers.open(base).logIn("bob_scam", GatewayFixture.PASSWORD);
    alicePage.openChannel(market);
    bobPage.openChannel(market);
    String scam =
        "send me 0.2 BTC and I will send 1 BTC back within an hour, guaranteed, limited offer";

    alicePage.send("the stand-up moves to 10:30 tomorrow");
    alicePage.send(scam);

    for (ChatPage page : new ChatPage[] {alicePage, bobPage}) {
      page.await(
          "the scam to be hidden",
          d ->
              page.messages().stream()
                      .anyMatch(m -> m.startsWith("This message was hidden by moderation"))
                  && !page.messages().contains(scam));
      assertThat(page.messages()).contains("the stand-up moves to 10:30 tomorrow");
    }
    // A page opened afterwards gets it hidden from history too.
    bobPage.reload();
    bobPage.awaitLive();
    bobPage.awaitMessage("the stand-up moves to 10:30 tomorrow");
    assertThat(bobPage.messages()).doesNotContain(scam);
  }

  @Test
  void anAtAiQuestionGetsItsReplyOnScreen() throws Exception {
    int alice = user("alice_ai");
    int bob = user("bob_ai");
    int help = channel(alice, "help", bob);
    ChatPage alicePage = browsers.open(base).logIn("alice_ai", GatewayFixture.PASSWORD);
    ChatPage bobPage = browsers.open(base).logIn("bob_ai", GatewayFixture.PASSWORD);
    alicePage.openChannel(help);
    bobPage.openChannel(help);

    alicePage.send("@ai how do I reset my password?");

    for (ChatPage page : new ChatPage[] {alicePage, bobPage}) {
      page.await(
          "the assistant's reply",
          d -> !d.findElements(By.cssSelector("#messages li.assistant .body")).isEmpty());
      assertThat(page.text(By.cssSelector("#messages li.assistant .who"))).isEqualTo("Assistant");
      assertThat(page.text(By.cssSelector("#messages li.assistant .body"))).isNotBlank();
    }
  }

  @Test
  void theSearchBoxFindsAMessageByMeaningAndOpensItsChannel() throws Exception {
    int alice = user("alice_search");
    int bob = user("bob_search");
    int ops = channel(alice, "ops", bob);
    value("SELECT chat.post_message(?, ?, ?)", alice, ops, "lunch at noon at the usual place?");
    value(
        "SELECT chat.post_message(?, ?, ?)",
        alice,
        ops,
        "the deploy failed because the database migration timed out");
    ChatPage page = browsers.open(base).logIn("bob_search", GatewayFixture.PASSWORD);
    var driver = page.driver();
    driver.findElement(By.id("search-input")).sendKeys("why did the release break?");

    // The AI worker embeds messages as they arrive; search again until both are indexed.
    page.await(
        "the deploy message as the best hit",
        d -> {
          d.findElement(By.cssSelector("#search-form button")).click();
          var hits = d.findElements(By.cssSelector("#search-results li .hit"));
          return hits.size() == 2 && hits.get(0).getText().contains("database migration timed out");
        });
    // The last search may still redraw the list: click again on a stale button.
    page.await(
        "a click on the hit",
        d -> {
          d.findElement(By.cssSelector("#search-results li button")).click();
          return true;
        });
    page.awaitMessage("the deploy failed because the database migration timed out");
    assertThat(page.title()).isEqualTo("# ops");
  }

  private static int user(String name) throws SQLException {
    return (int)
        value(
            "SELECT chat.register_user(?, ?, ?)",
            name,
            GatewayFixture.PASSWORD,
            name + "@example.org");
  }

  private static int channel(int owner, String name, int member) throws SQLException {
    return (int)
        value("SELECT chat.create_channel(?, ?, 'private', ARRAY[?]::int[])", owner, name, member);
  }

  private static long value(String sql, Object... params) throws SQLException {
    try (Connection c = TestServers.connect(db);
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
