package dev.zgres.consumers.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The seed's quick checks, widened: cheap patterns that point at spam, scams and phishing. They
 * only produce reasons; alone they never condemn a message, because the words that name a scam also
 * appear in warnings about scams ("there's a phishing mail going around"). The classifier decides,
 * and a hit here only raises a borderline case to a warning.
 */
public final class QuickChecks {
  /**
   * The seed's own check: the message names spam, scam or phishing. Recorded as a reason, but no
   * evidence on its own: warnings about scams use the same words.
   */
  public static final String NAMES_ABUSE = "mentions spam, scam or phishing";

  private static final Pattern SEED_WORDS =
      Pattern.compile("\\b(spam|scam|phishing)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK =
      Pattern.compile("(https?://|www\\.|\\b[a-z0-9-]+\\.[a-z]{2,}\\b)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SUSPICIOUS_TLD =
      Pattern.compile("\\.(ru|xyz|top|click|biz|info|co)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern SHORTENER =
      Pattern.compile(
          "\\b(bit\\.ly|tinyurl\\.com|t\\.co|goo\\.gl|discord\\.gg)/", Pattern.CASE_INSENSITIVE);
  private static final Pattern LOOKALIKE_DOMAIN =
      Pattern.compile(
          "\\b[a-z]*[0-9][a-z0-9]*[-.][a-z0-9.-]*\\.[a-z]{2,}\\b|\\b[a-z0-9]+-(secure|verify|login|update|billing)[a-z0-9-]*\\.[a-z]{2,}\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CREDENTIALS =
      Pattern.compile(
          "\\b(send|give|tell|reply with|enter|confirm|verify)\\b.{0,40}\\b(password|passcode|pin|2fa|code|credentials|login|seed phrase|cvv|card number|social security)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MONEY_ASK =
      Pattern.compile(
          "\\b(gift ?cards?|bitcoin|btc|eth|ethereum|wire|fee|deposit|crypto)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SHOUTING = Pattern.compile("[A-Z]{4,}.*[A-Z]{4,}.*!{2,}|!{3,}");

  /** The reasons found in {@code content}, in a fixed order; empty when nothing matched. */
  public List<String> reasons(String content) {
    List<String> reasons = new ArrayList<>();
    if (SEED_WORDS.matcher(content).find()) {
      reasons.add(NAMES_ABUSE);
    }
    if (CREDENTIALS.matcher(content).find()) {
      reasons.add("asks for credentials");
    }
    if (SHORTENER.matcher(content).find()) {
      reasons.add("shortened link");
    } else if (LOOKALIKE_DOMAIN.matcher(content).find()) {
      reasons.add("look-alike domain");
    } else if (LINK.matcher(content).find() && SUSPICIOUS_TLD.matcher(content).find()) {
      reasons.add("link to a cheap top-level domain");
    }
    if (MONEY_ASK.matcher(content).find()) {
      reasons.add("asks for money or crypto");
    }
    if (SHOUTING.matcher(content).find()) {
      reasons.add("shouting");
    }
    return reasons;
  }
}
