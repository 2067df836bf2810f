package dev.zgres.consumers.gateway.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Issues and checks the gateway's login tokens: HMAC-SHA256 JWTs with the user id as subject,
 * issuer {@code zgres-gateway}, issued-at and expiry (whole seconds). Every gateway instance that
 * shares the secret accepts the tokens of the others. No leeway: a token is expired at its expiry
 * instant.
 */
public final class TokenSigner {
  static final String ISSUER = "zgres-gateway";
  private static final int MIN_SECRET_BYTES = 32;

  private final Algorithm algorithm;
  private final Duration lifetime;
  private final Clock clock;
  private final JWTVerifier verifier;

  /**
   * @param secret at least 32 bytes
   * @param lifetime how long an issued token is valid, at least one second
   */
  public TokenSigner(byte[] secret, Duration lifetime, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the token secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "token lifetime must be at least 1 s (was " + lifetime + ")");
    }
    this.algorithm = Algorithm.HMAC256(secret);
    this.lifetime = lifetime;
    this.clock = clock;
    this.verifier =
        ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER)).build(clock);
  }

  /** A new token for the user, valid for the configured lifetime from now. */
  public IssuedToken issue(int userId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(lifetime);
    String token =
        JWT.create()
            .withIssuer(ISSUER)
            .withSubject(Integer.toString(userId))
            .withIssuedAt(now)
            .withExpiresAt(expiresAt)
            .sign(algorithm);
    return new IssuedToken(token, userId, expiresAt);
  }

  /** Checks a presented token; never throws on client input. */
  public TokenCheck check(String token) {
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      return new TokenCheck.Refused(TokenCheck.Reason.EXPIRED);
    } catch (SignatureVerificationException | AlgorithmMismatchException e) {
      return new TokenCheck.Refused(TokenCheck.Reason.FORGED);
    } catch (MissingClaimException | IncorrectClaimException e) {
      return new TokenCheck.Refused(TokenCheck.Reason.FORGED);
    } catch (JWTVerificationException | IllegalArgumentException e) {
      return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
    }
    if (jwt.getExpiresAtAsInstant() == null || jwt.getSubject() == null) {
      return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
    }
    try {
      int userId = Integer.parseInt(jwt.getSubject());
      return userId > 0
          ? new TokenCheck.Valid(userId, jwt.getExpiresAtAsInstant())
          : new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
    } catch (NumberFormatException e) {
      return new TokenCheck.Refused(TokenCheck.Reason.MALFORMED);
    }
  }

  /** A signed token, its user and its expiry. */
  public record IssuedToken(String token, int userId, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedToken[user " + userId + ", expires " + expiresAt + "]";
    }
  }
}
