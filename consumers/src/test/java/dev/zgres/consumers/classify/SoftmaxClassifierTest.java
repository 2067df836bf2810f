package dev.zgres.consumers.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoftmaxClassifierTest {
  private static final List<float[]> POINTS =
      List.of(
          new float[] {1, 0},
          new float[] {0.9f, 0.1f},
          new float[] {0, 1},
          new float[] {0.1f, 0.9f},
          new float[] {-1, -1},
          new float[] {-0.9f, -1.1f});
  private static final List<String> LABELS = List.of("a", "a", "b", "b", "c", "c");

  @Test
  void separatesSeparableClassesWithProbabilitiesThatSumToOne() {
    SoftmaxClassifier classifier =
        SoftmaxClassifier.train(POINTS, LABELS, SoftmaxClassifier.Options.DEFAULT);
    assertThat(classifier.classify(new float[] {0.8f, 0.05f})).isEqualTo("a");
    assertThat(classifier.classify(new float[] {0.05f, 0.8f})).isEqualTo("b");
    assertThat(classifier.classify(new float[] {-0.7f, -0.8f})).isEqualTo("c");
    assertThat(
            classifier.predict(new float[] {0.3f, 0.3f}).values().stream()
                .mapToDouble(d -> d)
                .sum())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void trainsToTheSameWeightsEveryTime() {
    var first = SoftmaxClassifier.train(POINTS, LABELS, SoftmaxClassifier.Options.DEFAULT);
    var second = SoftmaxClassifier.train(POINTS, LABELS, SoftmaxClassifier.Options.DEFAULT);
    float[] x = {0.2f, -0.4f};
    assertThat(first.predict(x)).isEqualTo(second.predict(x));
  }

  @Test
  void refusesASingleLabel() {
    assertThatThrownBy(
            () ->
                SoftmaxClassifier.train(
                    List.of(new float[] {1}), List.of("a"), SoftmaxClassifier.Options.DEFAULT))
        .hasMessage("need at least two labels (was [a])");
  }
}
