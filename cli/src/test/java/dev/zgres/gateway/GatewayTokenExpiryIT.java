package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.gateway.GatewayFixture.User;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A token that expires on an open socket: a grace period to refresh in-band, then 4002. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayTokenExpiryIT {

  @Test
  void anExpiredTokenIsRefreshedInBandOrTheSocketIsClosedWith4002() throws Exception {
    GatewayConfig.Tuning tuning =
        GatewayConfig.Tuning.defaults()
            .withTokenLifetime(Duration.ofSeconds(3), Duration.ofSeconds(3));
    try (GatewayFixture fixture = new GatewayFixture();
        Gateway gateway = fixture.gateway(tuning)) {
      User kim = fixture.user(gateway, "kim");
      try (WsClient refreshing = WsClient.authenticated(gateway.port(), kim.token());
          WsClient lapsing = WsClient.authenticated(gateway.port(), kim.token())) {
        JsonNode warning =
            refreshing.await("token_expired", f -> f.path("code").asText().equals("token_expired"));
        assertThat(warning.get("type").asText()).isEqualTo("error");
        // A refresh must be for the same user: log the same user in again.
        String fresh =
            GatewayFixture.json(
                    fixture
                        .post(
                            gateway,
                            "/api/login",
                            null,
                            "{\"username\":\""
                                + kim.name()
                                + "\",\"password\":\""
                                + GatewayFixture.PASSWORD
                                + "\"}")
                        .body())
                .get("token")
                .asText();
        refreshing.send("{\"type\":\"refresh\",\"token\":\"" + fresh + "\",\"id\":\"r\"}");
        JsonNode ok = refreshing.awaitType("auth_ok");
        assertThat(ok.get("id").asText()).isEqualTo("r");
        assertThat(ok.get("user_id").asInt()).isEqualTo(kim.id());

        assertThat(lapsing.awaitClose()).isEqualTo(4002);
        assertThat(refreshing.isClosed()).isFalse();
        refreshing.send("{\"type\":\"pong\"}");
      }
    }
  }
}
