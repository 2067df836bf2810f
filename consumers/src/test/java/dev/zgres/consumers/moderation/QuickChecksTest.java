package dev.zgres.consumers.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuickChecksTest {
  private final QuickChecks checks = new QuickChecks();

  @Test
  void findsTheSeedsWordsCredentialRequestsAndShortLinks() {
    assertThat(checks.reasons("please send me your password, it's IT"))
        .containsExactly("asks for credentials");
    assertThat(checks.reasons("verify here bit.ly/x1")).contains("shortened link");
    assertThat(checks.reasons("that's a scam")).containsExactly("mentions spam, scam or phishing");
    assertThat(checks.reasons("log in at paypa1-security.com now")).contains("look-alike domain");
  }

  @Test
  void findsNothingInOrdinaryChat() {
    assertThat(checks.reasons("see you at lunch, the docs are at https://docs.example.com"))
        .isEmpty();
  }
}
