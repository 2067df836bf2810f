package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Summaries, reply suggestions and importance over a small real conversation. */
class ConversationFeaturesTest {
  private static TextEmbedder embedder;
  private static List<HistoryMessage> conversation;

  @BeforeAll
  static void conversation() {
    embedder = SharedEmbedder.get();
    String[][] lines = {
      {"ana", "the release is blocked by the failing migration test"},
      {"ben", "which migration fails?"},
      {"ana", "V016, the index creation times out on the big table"},
      {"cem", "we could create the index concurrently in a separate migration"},
      {"ben", "agreed, let's split the migration and create the index concurrently"},
      {"dia", "anyone want pizza tonight?"},
      {"ana", "I'll split the migration and rerun the release pipeline"},
    };
    conversation = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      conversation.add(
          new HistoryMessage(i + 1, lines[i][0], lines[i][1], embedder.embed(lines[i][1]), false));
    }
  }

  @Test
  void summaryKeepsTheCentralMessagesInOrderAndLeavesOutTheAside() {
    Summary summary = new ExtractiveSummarizer(3).summarize(conversation);
    System.out.println("summary: " + summary.text());
    assertThat(summary.keyPoints()).hasSize(3).noneMatch(p -> p.contains("pizza"));
    assertThat(summary.text()).startsWith("7 messages from ana, ben, cem, dia. Main points: ");
    assertThat(summary.embedding()).hasSize(embedder.dimensions());
  }

  @Test
  void suggestsTheEarlierAnswerToASimilarQuestionFirst() {
    String asked = "which migration is failing now?";
    HistoryMessage question = new HistoryMessage(50, "eve", asked, embedder.embed(asked), false);
    List<Suggestion> suggestions = new ReplySuggester(0.7).suggest(question, conversation, 3);
    System.out.println("suggestions: " + suggestions);
    assertThat(suggestions).hasSize(3);
    assertThat(suggestions.get(0).text()).startsWith("V016");
    assertThat(suggestions.get(0).confidence()).isGreaterThan(suggestions.get(2).confidence());
  }

  @Test
  void urgentMessagesScoreAsImportantAndSmallTalkDoesNot() {
    ImportanceScorer importance = new ImportanceScorer();
    assertThat(importance.score("URGENT: prod is down, need help now @oncall", -0.6))
        .isGreaterThan(0.7)
        .isLessThanOrEqualTo(1);
    assertThat(importance.score("anyone want pizza tonight?", 0.2)).isLessThan(0.3);
  }
}
