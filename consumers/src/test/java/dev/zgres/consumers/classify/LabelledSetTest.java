package dev.zgres.consumers.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class LabelledSetTest {
  @Test
  void holdsOutEveryFifthExampleOfEachLabelAndSharesNone() {
    for (String resource :
        new String[] {
          "/dev/zgres/consumers/ai/sentiment.tsv", "/dev/zgres/consumers/moderation/moderation.tsv"
        }) {
      LabelledSet set = LabelledSet.fromResource(resource);
      assertThat(set.size()).isGreaterThanOrEqualTo(150);
      LabelledSet.Split split = set.split(5);
      assertThat(split.train().size() + split.heldOut().size()).isEqualTo(set.size());
      assertThat(split.heldOut().labels()).containsExactlyInAnyOrderElementsOf(set.labels());
      var trainTexts =
          new HashSet<>(split.train().examples().stream().map(LabelledText::text).toList());
      assertThat(split.heldOut().examples()).noneMatch(e -> trainTexts.contains(e.text()));
    }
  }
}
