package dev.zgres.chat.plproxy;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's semantic search ({@code chat.search_messages_by_embedding}, with embeddings stored
 * as the AI worker stores them) on the single server and through the proxy alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchApiBehaviour {
  ChatApi chat;

  /** The database the chat API is called on. */
  abstract PgEndpoint api();

  @BeforeEach
  void connect() throws SQLException {
    chat = ChatApi.connect(api());
  }

  @AfterEach
  void disconnect() throws SQLException {
    chat.close();
  }

  @Test
  void searchRanksTheMessagesTheUserMayReadBySimilarity() throws SQLException {
    int owner = chat.newUser("search");
    int member = chat.newUser("search");
    int stranger = chat.newUser("search");
    int closed = chat.createChannel(owner, "closed", "private", member);
    int open = chat.createChannel(stranger, "open", "public");
    long near = chat.postMessage(owner, closed, "near");
    long far = chat.postMessage(owner, closed, "far");
    long aside = chat.postMessage(stranger, open, "aside");
    embed(near, 1, 0, 0, 0, 0);
    embed(far, 0, 1, 0, 0, 0);
    embed(aside, 0.8f, 0.6f, 0, 0, 0);
    List<Long> ours = List.of(near, far, aside);

    assertThat(search(member, null, 10))
        .extracting(h -> h.get("message_id"))
        .filteredOn(ours::contains)
        .containsExactly(near, aside, far);
    assertThat(search(stranger, null, 10))
        .extracting(h -> h.get("message_id"))
        .filteredOn(ours::contains)
        .containsExactly(aside);
    assertThat(search(member, closed, 1))
        .extracting(h -> h.get("message_id"))
        .containsExactly(near);
  }

  @Test
  void searchRefusesChannelsTheUserMayNotReadUnknownUsersAndBadLimits() throws SQLException {
    int owner = chat.newUser("search");
    int stranger = chat.newUser("search");
    int closed = chat.createChannel(owner, "closed", "private");

    assertThat(failure(() -> search(stranger, closed, 10)))
        .isEqualTo(
            new Failure(
                "42501", "user " + stranger + " is not a member of private channel " + closed));
    assertThat(failure(() -> search(999_999, null, 10)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(failure(() -> search(owner, null, 0)))
        .isEqualTo(new Failure("22023", "limit must be between 1 and 100 (was 0)"));
    assertThat(failure(() -> embed(999_999_999L, 1, 0, 0, 0, 0)))
        .isEqualTo(new Failure("P0002", "message_id 999999999: no such message"));
  }

  private void embed(long message, float... vector) throws SQLException {
    chat.run("SELECT chat.store_message_analysis(?, ?, NULL)", message, chat.realArray(vector));
  }

  private List<Map<String, Object>> search(int user, Integer channel, int limit)
      throws SQLException {
    return chat.rows(
        "SELECT * FROM chat.search_messages_by_embedding(?, ?, ?, ?)",
        user,
        chat.realArray(1, 0, 0, 0, 0),
        channel,
        limit);
  }
}
