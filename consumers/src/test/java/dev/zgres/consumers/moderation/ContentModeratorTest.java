package dev.zgres.consumers.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.classify.Evaluation;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.classify.LabelledText;
import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContentModeratorTest {
  private static TextEmbedder embedder;
  private static LabelledSet.Split split;
  private static ContentModerator moderator;

  @BeforeAll
  static void train() {
    embedder = SharedEmbedder.get();
    split = LabelledSet.fromResource(ContentModerator.DATA).split(5);
    moderator = ContentModerator.train(embedder, split.train());
    System.out.printf(
        "moderation: trained on %d, held out %d, training took %d ms%n",
        split.train().size(),
        split.heldOut().size(),
        moderator.classifier().trainingTime().toMillis());
  }

  private Verdict judge(String text) {
    Verdict verdict = moderator.judge(text, embedder.embed(text));
    System.out.printf(
        "  %s/%s (harm %.2f): %s%n", verdict.level(), verdict.category(), verdict.harm(), text);
    return verdict;
  }

  @Test
  void flagsHeldOutHarmfulMessagesWithHighPrecisionAndRecall() {
    List<String> truth = new ArrayList<>();
    List<String> flagged = new ArrayList<>();
    List<String> categoryTruth = new ArrayList<>();
    List<String> categoryPredicted = new ArrayList<>();
    for (LabelledText example : split.heldOut().examples()) {
      Verdict verdict = judge(example.text());
      boolean harmful = !example.label().equals("safe");
      truth.add(harmful ? "flagged" : "safe");
      flagged.add(verdict.flagged() ? "flagged" : "safe");
      if (harmful) {
        categoryTruth.add(example.label());
        categoryPredicted.add(verdict.category());
      }
      if (harmful != verdict.flagged()) {
        System.out.printf(
            "  missed: %s judged %s/%s (harm %.2f): %s%n",
            example.label(), verdict.level(), verdict.category(), verdict.harm(), example.text());
      }
    }
    Evaluation flagging = Evaluation.of(truth, flagged);
    Evaluation categories = Evaluation.of(categoryTruth, categoryPredicted);
    System.out.print("moderation, flagged vs safe, held out: " + flagging.report());
    System.out.print("moderation, category of harmful held-out messages: " + categories.report());
    assertThat(flagging.of("flagged").precision()).isGreaterThan(0.8);
    assertThat(flagging.of("flagged").recall()).isGreaterThan(0.8);
    assertThat(categories.accuracy()).isGreaterThan(0.6);
  }

  @Test
  void leavesWarningsAboutScamsAndViolentSoundingJokesAlone() {
    assertThat(judge("I got phished last year, be careful with links").level())
        .isEqualTo(Verdict.Level.SAFE);
    assertThat(judge("watch out, someone is sending fake invoices, it's a scam").level())
        .isEqualTo(Verdict.Level.SAFE);
    assertThat(judge("this migration is going to kill me lol").level())
        .isEqualTo(Verdict.Level.SAFE);
    assertThat(judge("can you review my pull request?").level()).isEqualTo(Verdict.Level.SAFE);
  }

  @Test
  void flagsAScamWithItsCategoryAndReasons() {
    Verdict verdict =
        judge("send 0.5 BTC to my wallet and I will send you back 2 BTC, guaranteed profit");
    assertThat(verdict.flagged()).isTrue();
    assertThat(verdict.category()).isEqualTo("scam");
    assertThat(verdict.reasons()).anyMatch(r -> r.startsWith("classifier: scam"));
    assertThat(verdict.reasons()).contains("asks for money or crypto");
  }

  @Test
  void judgesAThreatUnsafe() {
    Verdict verdict = judge("I know your address and I'm going to hurt you tonight");
    assertThat(verdict.level()).isEqualTo(Verdict.Level.UNSAFE);
    assertThat(verdict.category()).isEqualTo("threat");
  }
}
