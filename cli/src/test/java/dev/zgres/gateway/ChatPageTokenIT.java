package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.gateway.GatewayFixture.User;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The page renews its token before it expires and keeps the same socket. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChatPageTokenIT {
  @RegisterExtension final ChatBrowsers browsers = new ChatBrowsers();

  @Test
  void thePageRenewsItsTokenBeforeExpiryAndKeepsItsSocket() throws Exception {
    GatewayConfig.Tuning tuning =
        GatewayConfig.Tuning.defaults()
            .withTokenLifetime(Duration.ofSeconds(6), Duration.ofSeconds(2));
    try (GatewayFixture fixture = new GatewayFixture();
        Gateway gateway = fixture.gateway(tuning)) {
      User alice = fixture.user(gateway, "alice");
      User bob = fixture.user(gateway, "bob");
      int room = fixture.createChannel(gateway, alice, "private", bob.id());
      ChatPage page =
          browsers
              .open("http://127.0.0.1:" + gateway.port())
              .logIn(bob.name(), GatewayFixture.PASSWORD);
      page.openChannel(room);
      Instant firstExpiry = Instant.parse(sessionField(page, "expiresAt"));
      String firstToken = sessionField(page, "token");

      // Three lifetimes later the page still holds a valid token of its own.
      page.await(
          "the token to be renewed past three lifetimes",
          d -> Instant.parse(sessionField(page, "expiresAt")).isAfter(firstExpiry.plusSeconds(12)));
      fixture.post(alice.id(), room, "still there?");

      page.awaitMessage("still there?");
      assertThat(sessionField(page, "token")).isNotEqualTo(firstToken);
      assertThat(page.connection()).isEqualTo("live");
      assertThat(page.driver().findElement(By.id("connection")).getAttribute("data-connections"))
          .as("the socket was never replaced")
          .isEqualTo("1");
    }
  }

  private static String sessionField(ChatPage page, String field) {
    return (String)
        page.driver()
            .executeScript(
                "return JSON.parse(sessionStorage.getItem('zgres.session'))[arguments[0]];", field);
  }
}
