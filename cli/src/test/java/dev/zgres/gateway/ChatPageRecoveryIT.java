package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.gateway.GatewayFixture.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat page through a gateway restart: it reconnects by itself and resumes without a gap. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ChatPageRecoveryIT {
  @RegisterExtension final ChatBrowsers browsers = new ChatBrowsers();
  GatewayFixture fixture;
  Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    fixture = new GatewayFixture();
    gateway = fixture.gateway(GatewayConfig.Tuning.defaults());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void thePageRecoversAfterTheGatewayRestartsAndShowsWhatWasPostedMeanwhileOnce() throws Exception {
    User alice = fixture.user(gateway, "alice");
    User bob = fixture.user(gateway, "bob");
    int room = fixture.createChannel(gateway, alice, "private", bob.id());
    int port = gateway.port();
    ChatPage bobPage =
        browsers.open("http://127.0.0.1:" + port).logIn(bob.name(), GatewayFixture.PASSWORD);
    bobPage.openChannel(room);
    fixture.post(alice.id(), room, "before the restart");
    bobPage.awaitMessage("before the restart");

    gateway.close();
    bobPage.await("the page to notice", d -> bobPage.connection().startsWith("offline"));
    List<String> expected = new ArrayList<>(List.of("before the restart"));
    for (int i = 1; i <= 5; i++) {
      fixture.post(alice.id(), room, "while it was down " + i);
      expected.add("while it was down " + i);
    }
    long down = System.nanoTime();
    gateway =
        Gateway.start(
            new GatewayConfig(
                port,
                fixture.config(GatewayConfig.Tuning.defaults()).secret(),
                fixture.db,
                fixture.kafka,
                GatewayConfig.Tuning.defaults()));

    bobPage.awaitLive();
    bobPage.awaitMessage("while it was down 5");
    System.out.printf(
        "the page was live again %d ms after the new gateway started%n",
        (System.nanoTime() - down) / 1_000_000);
    fixture.post(alice.id(), room, "after the restart");
    expected.add("after the restart");
    bobPage.awaitMessage("after the restart");
    assertThat(bobPage.messages()).isEqualTo(expected);
  }
}
