package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.gateway.GatewayFixture.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

/** The chat page in real headless Chromium, against a real bridge and gateway. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChatPageIT {
  static GatewayFixture fixture;
  static Gateway gateway;
  static String base;

  @RegisterExtension final ChatBrowsers browsers = new ChatBrowsers();

  @BeforeAll
  static void start() throws Exception {
    ChatBrowsers.assumeInstalled();
    fixture = new GatewayFixture();
    gateway = fixture.gateway(GatewayConfig.Tuning.defaults());
    base = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void thePageIsServedFromItsOwnFolderOnlyWithASecurityPolicy() throws Exception {
    var page = fixture.get(gateway, "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/main.js\">");
    assertThat(fixture.get(gateway, "/main.js", null).headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    for (String outside :
        List.of("/dev/zgres/web/main.js", "/..%2Fpom.xml", "/logback.xml", "/Gateway.class")) {
      // Jetty itself refuses an encoded separator (400); the page handler serves no such name.
      var answer = fixture.get(gateway, outside, null);
      assertThat(answer.statusCode()).as(outside).isIn(400, 404);
      assertThat(answer.body()).as(outside).doesNotContain("<project", "<configuration", "import ");
    }
  }

  @Test
  void whatAliceSendsBobSeesLiveOnce() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    ChatPage alicePage = browsers.open(base).logIn(alice.name(), GatewayFixture.PASSWORD);
    ChatPage bobPage = browsers.open(base).logIn(bob.name(), GatewayFixture.PASSWORD);
    alicePage.openChannel(room);
    bobPage.openChannel(room);

    alicePage.send("hello bob, from the browser");

    bobPage.awaitMessage("hello bob, from the browser");
    alicePage.awaitMessage("hello bob, from the browser");
    assertThat(bobPage.messages()).containsOnlyOnce("hello bob, from the browser");
    assertThat(bobPage.driver().findElement(By.cssSelector("#messages li .who")).getText())
        .isEqualTo(alice.name());
  }

  @Test
  void typingShowsOnTheOtherPageAndGoesAway() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    ChatPage alicePage = browsers.open(base).logIn(alice.name(), GatewayFixture.PASSWORD);
    ChatPage bobPage = browsers.open(base).logIn(bob.name(), GatewayFixture.PASSWORD);
    alicePage.openChannel(room);
    bobPage.openChannel(room);

    alicePage.send("hi"); // bob's page learns alice's name from her messages
    bobPage.awaitMessage("hi");
    alicePage.typeWithoutSending("I am wri");

    bobPage.await("the typing line", d -> bobPage.typing().equals(alice.name() + " is typing…"));
    bobPage.await("the typing line to clear", d -> bobPage.typing().isEmpty());
    assertThat(alicePage.typing()).isEmpty();
  }

  @Test
  void bobReloadsMidConversationAndMissesNothing() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    ChatPage bobPage = browsers.open(base).logIn(bob.name(), GatewayFixture.PASSWORD);
    bobPage.openChannel(room);
    List<String> sent = new ArrayList<>();
    Thread writer =
        Thread.ofPlatform()
            .name("alice-writes")
            .start(
                () -> {
                  try {
                    for (int i = 1; i <= 40; i++) {
                      String line = "line " + i;
                      fixture.post(alice.id(), room, line);
                      synchronized (sent) {
                        sent.add(line);
                      }
                      Thread.sleep(40); // a conversation's pace, not a wait for a condition
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    bobPage.awaitMessage("line 5");
    bobPage.reload();
    bobPage.awaitLive();
    writer.join();

    bobPage.awaitMessage("line 40");
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      expected.add("line " + i);
    }
    assertThat(sent).isEqualTo(expected);
    assertThat(bobPage.messages()).isEqualTo(expected);
    assertThat(bobPage.title()).contains("room");
  }

  @Test
  void aNonMemberCannotOpenAPrivateChannel() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    User eve = fixture.user(gateway, "eve");
    int secret = fixture.createChannel(gateway, alice, "private", bob.id());
    fixture.post(alice.id(), secret, "the secret plan");
    ChatPage evePage = browsers.open(base).logIn(eve.name(), GatewayFixture.PASSWORD);

    evePage.visitChannel(secret);
    evePage.awaitLive();

    // The refusal's wording shows in the status line, which the page clears again after a while;
    // the title stays, so the test waits on that.
    evePage.await("the refusal", d -> evePage.title().equals("This channel cannot be opened"));
    assertThat(evePage.messages()).isEmpty();
    assertThat(evePage.driver().getPageSource()).doesNotContain("the secret plan");
    assertThat(
            evePage
                .driver()
                .findElements(
                    By.cssSelector("#channel-list button.open[data-channel-id='" + secret + "']")))
        .isEmpty();
  }

  @Test
  void aMessageInAnotherChannelCountsAsUnread() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int first = fixture.createChannel(gateway, alice, "private", bob.id());
    int second = fixture.createChannel(gateway, alice, "private", bob.id());
    ChatPage bobPage = browsers.open(base).logIn(bob.name(), GatewayFixture.PASSWORD);
    bobPage.openChannel(first);

    fixture.post(alice.id(), second, "over here");
    fixture.post(alice.id(), second, "and here");

    bobPage.await("two unread in the other channel", d -> bobPage.unreadBadge(second).equals("2"));
    bobPage.openChannel(second);
    bobPage.awaitMessage("and here");
    assertThat(bobPage.unreadBadge(second)).isEmpty();
  }

  @Test
  void onAPhoneTheChannelListFoldsBehindAButtonAndEveryFieldHasALabel() throws Exception {
    User alice = fixture.user(gateway, "alice");
    int room = fixture.createChannel(gateway, alice, "private");
    ChatPage phone = browsers.open(base, 390, 844).logIn(alice.name(), GatewayFixture.PASSWORD);
    var driver = phone.driver();
    assertThat(driver.findElement(By.id("sidebar")).isDisplayed()).isFalse();

    driver.findElement(By.id("sidebar-toggle")).click();
    assertThat(driver.findElement(By.id("sidebar-toggle")).getAttribute("aria-expanded"))
        .isEqualTo("true");
    phone.openChannel(room);
    phone.await("the list to fold", d -> !d.findElement(By.id("sidebar")).isDisplayed());
    phone.send("sent from a phone");
    phone.awaitMessage("sent from a phone");

    Object unlabelled =
        driver.executeScript(
            "return [...document.querySelectorAll('input, select')]"
                + ".filter(e => !(e.labels && e.labels.length) && !e.closest('label'))"
                + ".map(e => e.id);");
    assertThat((java.util.List<?>) unlabelled).isEmpty();
  }

  /**
   * The README's picture of the page (docs/chat-page.png), taken here so that it shows what the
   * page really draws: a live conversation with an assistant's reply, a message hidden by
   * moderation, someone typing and an unread count.
   */
  @Test
  void theReadmeScreenshotShowsALiveConversation() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    User mallory = fixture.user(gateway, "mallory");
    int general = channel(alice, "general", "public", bob.id(), mallory.id());
    int other = channel(bob, "lunch", "private", alice.id());
    fixture.post(alice.id(), general, "Morning! Did the bridge keep up with last night's load?");
    fixture.post(bob.id(), general, "It did: no gap, and the gateway resumed every socket.");
    long scam =
        fixture.post(mallory.id(), general, "Claim your prize now: send your card number to me");
    fixture.sql("SELECT chat.flag_message(?, 'unsafe', ARRAY['scam'])", scam);
    ChatPage alicePage =
        browsers.open(base, 1100, 640).logIn(alice.name(), GatewayFixture.PASSWORD);
    ChatPage bobPage = browsers.open(base).logIn(bob.name(), GatewayFixture.PASSWORD);
    alicePage.openChannel(general);
    bobPage.openChannel(general);

    alicePage.send("@ai what does wal mode guarantee?");
    alicePage.awaitMessage("@ai what does wal mode guarantee?");
    fixture.sql(
        "INSERT INTO chat.messages (channel_id, content, message_type) VALUES (?, ?, 'ai_suggestion')",
        general,
        "In wal mode every committed message reaches Kafka at least once, in commit order.");
    fixture.post(bob.id(), other, "Lunch at noon?");
    bobPage.typeWithoutSending("Thanks, that");

    alicePage.await(
        "the assistant's reply",
        d ->
            !d.findElements(By.cssSelector("#messages li.assistant")).isEmpty()
                && alicePage.typing().equals(bob.name() + " is typing…")
                && alicePage.unreadBadge(other).equals("1"));
    assertThat(alicePage.text(By.cssSelector("#messages li.assistant .who")))
        .isEqualTo("Assistant");
    assertThat(alicePage.messages())
        .contains("This message was hidden by moderation (unsafe).")
        .doesNotContain("Claim your prize now: send your card number to me");
    Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs");
    Files.createDirectories(docs);
    Files.copy(
        alicePage.driver().getScreenshotAs(OutputType.FILE).toPath(),
        docs.resolve("chat-page.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static int channel(User owner, String name, String type, int... members)
      throws Exception {
    StringBuilder ids = new StringBuilder();
    for (int m : members) {
      ids.append(ids.isEmpty() ? "" : ",").append(m);
    }
    String body =
        "{\"name\":\""
            + name
            + "\",\"channel_type\":\""
            + type
            + "\",\"member_ids\":["
            + ids
            + "]}";
    var r = fixture.post(gateway, "/api/channels", owner.token(), body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return GatewayFixture.json(r.body()).get("channel_id").asInt();
  }
}
