package dev.zgres.consumers.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.consumers.embed.SharedEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OfflineResponderTest {
  private static TextEmbedder embedder;
  private static OfflineResponder responder;
  private static List<HistoryMessage> history;

  @BeforeAll
  static void channelHistory() {
    embedder = SharedEmbedder.get();
    responder = new OfflineResponder(embedder, 0.75);
    String[][] lines = {
      {"alice", "how do I reset my VPN password?"},
      {"bob", "go to vpn.example.com/reset and use your employee number, it takes a minute"},
      {"carol", "the standup moves to 10:30 from next week"},
      {"dave", "where are the production logs kept?"},
      {"erin", "they are shipped to Loki, open the Grafana explore tab and pick the prod source"},
      {"alice", "thanks!"},
      {"bob", "lunch at noon?"},
    };
    history = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      history.add(
          new HistoryMessage(
              100 + i, lines[i][0], lines[i][1], embedder.embed(lines[i][1]), false));
    }
  }

  @Test
  void quotesTheEarlierAnswerToASimilarQuestion() {
    Reply reply =
        responder.reply(
            new Question(200, "it", "frank", "@ai I forgot my VPN password, how can I reset it?"),
            history);
    System.out.println("reply: " + reply.text());
    assertThat(reply.generator()).isEqualTo("offline");
    assertThat(reply.text()).startsWith("@frank ").contains("vpn.example.com/reset", "#101");
  }

  @Test
  void pointsToTheLogsAnswer() {
    Reply reply =
        responder.reply(
            new Question(201, "it", "gina", "@ai where can I find the prod logs?"), history);
    System.out.println("reply: " + reply.text());
    assertThat(reply.text()).contains("Grafana", "#104");
  }

  @Test
  void saysItDoesNotKnowWhenNothingIsClose() {
    Reply reply =
        responder.reply(
            new Question(202, "it", "hank", "@ai what is the capital of Australia?"), history);
    System.out.println("reply: " + reply.text());
    assertThat(reply.text())
        .isEqualTo(
            "@hank I don't know yet: nothing earlier in #it answers \"what is the capital of"
                + " Australia?\". Someone here may know.");
  }

  @Test
  void givesTheSameReplyForTheSameQuestionAndHistory() {
    Question question = new Question(203, "it", "ivy", "@ai how to reset the VPN password");
    assertThat(responder.reply(question, history)).isEqualTo(responder.reply(question, history));
  }

  @Test
  void neverQuotesTheAssistantsOwnMessages() {
    List<HistoryMessage> withAssistant = new ArrayList<>(history);
    String own = "the answer to the VPN password question is in the handbook";
    withAssistant.add(new HistoryMessage(300, "assistant", own, embedder.embed(own), true));
    Reply reply =
        responder.reply(
            new Question(204, "it", "jo", "@ai VPN password reset, how?"), withAssistant);
    assertThat(reply.text()).doesNotContain("handbook");
  }
}
