package dev.zgres.consumers.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenSignerTest {
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static TokenSigner at(Instant now, byte[] secret) {
    return new TokenSigner(secret, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void acceptsItsOwnTokenUntilItExpires() {
    TokenSigner.IssuedToken issued = at(NOW, SECRET).issue(42);
    assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(at(NOW.plusSeconds(899), SECRET).check(issued.token()))
        .isEqualTo(new TokenCheck.Valid(42, issued.expiresAt()));
    assertThat(at(NOW.plusSeconds(900), SECRET).check(issued.token()))
        .isEqualTo(new TokenCheck.Refused(TokenCheck.Reason.EXPIRED));
  }

  @Test
  void refusesATokenSignedWithAnotherSecretAsForged() {
    byte[] other = "another secret of thirty-two b!!".getBytes(StandardCharsets.UTF_8);
    String forged = at(NOW, other).issue(1).token();
    assertThat(at(NOW, SECRET).check(forged))
        .isEqualTo(new TokenCheck.Refused(TokenCheck.Reason.FORGED));
  }

  @Test
  void refusesATokenWhosePayloadWasAlteredAsForged() {
    String[] parts = at(NOW, SECRET).issue(1).token().split("\\.");
    String otherPayload = at(NOW, SECRET).issue(2).token().split("\\.")[1];
    assertThat(at(NOW, SECRET).check(parts[0] + "." + otherPayload + "." + parts[2]))
        .isEqualTo(new TokenCheck.Refused(TokenCheck.Reason.FORGED));
  }

  @Test
  void refusesAnUnsignedTokenAndGarbage() {
    String[] parts = at(NOW, SECRET).issue(1).token().split("\\.");
    String none =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + ".";
    assertThat(at(NOW, SECRET).check(none)).isInstanceOf(TokenCheck.Refused.class);
    assertThat(at(NOW, SECRET).check("garbage"))
        .isEqualTo(new TokenCheck.Refused(TokenCheck.Reason.MALFORMED));
    assertThat(at(NOW, SECRET).check(""))
        .isEqualTo(new TokenCheck.Refused(TokenCheck.Reason.MALFORMED));
  }

  @Test
  void refusesShortSecretsAndNeverPrintsTheToken() {
    assertThatThrownBy(() -> at(NOW, new byte[8])).hasMessageContaining("at least 32 bytes");
    TokenSigner.IssuedToken issued = at(NOW, SECRET).issue(5);
    assertThat(issued.toString()).doesNotContain(issued.token());
  }
}
