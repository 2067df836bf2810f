package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.classify.Evaluation;
import dev.zgres.consumers.classify.LabelledSet;
import dev.zgres.consumers.classify.LabelledText;
import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SentimentScorerTest {
  private static TextEmbedder embedder;
  private static LabelledSet.Split split;
  private static SentimentScorer heldOutScorer;

  @BeforeAll
  static void train() {
    embedder = SharedEmbedder.get();
    split = LabelledSet.fromResource(SentimentScorer.DATA).split(5);
    heldOutScorer = SentimentScorer.train(embedder, split.train());
    System.out.printf(
        "sentiment: trained on %d, held out %d, training took %d ms%n",
        split.train().size(),
        split.heldOut().size(),
        heldOutScorer.classifier().trainingTime().toMillis());
  }

  @Test
  void labelsHeldOutSentencesWellAboveChance() {
    List<String> truth = split.heldOut().examples().stream().map(LabelledText::label).toList();
    List<String> predicted =
        split.heldOut().examples().stream()
            .map(e -> heldOutScorer.label(embedder.embed(e.text())))
            .toList();
    Evaluation evaluation = Evaluation.of(truth, predicted);
    System.out.print("sentiment on held-out sentences: " + evaluation.report());
    for (int i = 0; i < truth.size(); i++) {
      if (!truth.get(i).equals(predicted.get(i))) {
        System.out.printf(
            "  missed: %s -> %s: %s%n",
            truth.get(i), predicted.get(i), split.heldOut().examples().get(i).text());
      }
    }
    // Three balanced labels: chance is a third.
    assertThat(evaluation.accuracy()).isGreaterThan(0.7);
  }

  @Test
  void scoresAHappyMessageAboveAnAngryOne() {
    double happy = heldOutScorer.score(embedder.embed("this is wonderful, thank you all so much!"));
    double angry =
        heldOutScorer.score(embedder.embed("this is infuriating, nothing ever works here"));
    assertThat(happy).isGreaterThan(0.3).isLessThanOrEqualTo(1);
    assertThat(angry).isLessThan(-0.3).isGreaterThanOrEqualTo(-1);
  }

  @Test
  void readsNegationAndSarcasm() {
    assertThat(heldOutScorer.score(embedder.embed("not bad, not bad at all"))).isPositive();
    assertThat(
            heldOutScorer.score(embedder.embed("oh great, it crashed again, just what I needed")))
        .isNegative();
  }

  @Test
  void givesTheSameScoreForTheSameText() {
    float[] a = embedder.embed("the meeting is at noon");
    float[] b = embedder.embed("the meeting is at noon");
    assertThat(heldOutScorer.score(a)).isEqualTo(heldOutScorer.score(b));
  }
}
