package dev.zgres.chat;

import static dev.zgres.testkit.ChatApi.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.ChatApi.Failure;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UserAccountsIT extends ChatFixture {

  @Test
  void registerUserStoresABcryptHashThatLoginAccepts() throws SQLException {
    String name = ChatApi.uniqueUsername("hash");
    int id = chat.registerUser(name, "s3cret-pass", name + "@example.org");

    String hash = chat.value(String.class, "SELECT password_hash FROM chat.users WHERE id = ?", id);
    assertThat(hash).startsWith("$2a$").doesNotContain("s3cret-pass");
    assertThat(chat.login(name, "s3cret-pass")).isEqualTo(id);
    assertThat(chat.value(String.class, "SELECT display_name FROM chat.users WHERE id = ?", id))
        .isEqualTo(name);
  }

  @Test
  void registerUserRefusesADuplicateUsernameInAnyCaseNamingIt() throws SQLException {
    String name = ChatApi.uniqueUsername("Dup");
    chat.registerUser(name, ChatApi.PASSWORD, "first@example.org");

    Failure same = failure(() -> chat.registerUser(name, ChatApi.PASSWORD, "second@example.org"));
    Failure otherCase =
        failure(() -> chat.registerUser(name.toLowerCase(), ChatApi.PASSWORD, "third@example.org"));

    assertThat(same).isEqualTo(new Failure("23505", "username \"" + name + "\" is already taken"));
    assertThat(otherCase)
        .isEqualTo(
            new Failure("23505", "username \"" + name.toLowerCase() + "\" is already taken"));
    assertThat(
            chat.value(
                Long.class,
                "SELECT count(*) FROM chat.users WHERE lower(username) = lower(?)",
                name))
        .isEqualTo(1L);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "ab",
        "a b",
        "thirty_three_characters_username_",
        "semi;colon",
        "dash-ed",
        "ünïcode"
      })
  void registerUserRefusesAnInvalidUsernameNamingTheField(String username) {
    Failure f = failure(() -> chat.registerUser(username, ChatApi.PASSWORD, "x@example.org"));

    assertThat(f.sqlState()).isEqualTo("22023");
    assertThat(f.message())
        .startsWith("username must be 3 to 32 letters, digits or underscores (was ");
  }

  @Test
  void registerUserRefusesShortOrOverlongPasswordsNamingTheField() {
    String name = ChatApi.uniqueUsername("pw");

    assertThat(failure(() -> chat.registerUser(name, "short", "x@example.org")))
        .isEqualTo(new Failure("22023", "password must be at least 8 characters long"));
    assertThat(failure(() -> chat.registerUser(name, null, "x@example.org")))
        .isEqualTo(new Failure("22023", "password must be at least 8 characters long"));
    // bcrypt reads 72 bytes; a longer password would be cut silently, so it is refused.
    assertThat(failure(() -> chat.registerUser(name, "é".repeat(37), "x@example.org")))
        .isEqualTo(new Failure("22023", "password must be at most 72 bytes long (was 74 bytes)"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "plain",
        "no-domain@",
        "@example.org",
        "two@@example.org",
        "sp ace@example.org",
        "a@nodot"
      })
  void registerUserRefusesAnInvalidEmailNamingTheField(String email) {
    Failure f =
        failure(() -> chat.registerUser(ChatApi.uniqueUsername("mail"), ChatApi.PASSWORD, email));

    assertThat(f.sqlState()).isEqualTo("22023");
    assertThat(f.message()).startsWith("email must look like name@example.org");
  }

  @Test
  void loginGivesOneErrorForUnknownUserAndWrongPassword() throws SQLException {
    String name = ChatApi.uniqueUsername("login");
    chat.registerUser(name, ChatApi.PASSWORD, "l@example.org");

    Failure wrongPassword = failure(() -> chat.login(name, "not the password"));
    Failure unknownUser = failure(() -> chat.login(name + "_nobody", ChatApi.PASSWORD));
    Failure nullPassword = failure(() -> chat.login(name, null));

    Failure expected = new Failure("28P01", "invalid username or password");
    assertThat(wrongPassword).isEqualTo(expected);
    assertThat(unknownUser).isEqualTo(expected);
    assertThat(nullPassword).isEqualTo(expected);
  }

  @Test
  void loginIgnoresUsernameCaseAndUpdatesLastSeen() throws SQLException {
    String name = ChatApi.uniqueUsername("Seen");
    int id = chat.registerUser(name, ChatApi.PASSWORD, "s@example.org");
    chat.run("UPDATE chat.users SET last_seen = '2001-01-01Z' WHERE id = ?", id);

    assertThat(chat.login(name.toUpperCase(), ChatApi.PASSWORD)).isEqualTo(id);
    OffsetDateTime lastSeen =
        chat.value(OffsetDateTime.class, "SELECT last_seen FROM chat.users WHERE id = ?", id);
    assertThat(lastSeen).isAfter(OffsetDateTime.now().minusMinutes(5));
  }

  @Test
  void setFriendsReplacesTheWholeList() throws SQLException {
    int me = chat.newUser("me");
    int b = chat.newUser("b");
    int c = chat.newUser("c");
    int d = chat.newUser("d");

    chat.setFriends(me, b, c, c);
    assertThat(friendsOf(me)).containsExactly(b, c);
    chat.setFriends(me, c, d);
    assertThat(friendsOf(me)).containsExactly(c, d);
    chat.setFriends(me);
    assertThat(friendsOf(me)).isEmpty();
  }

  @Test
  void setFriendsRefusesSelfUnknownIdsAndNullLeavingTheListAsItWas() throws SQLException {
    int me = chat.newUser("me");
    int b = chat.newUser("b");
    chat.setFriends(me, b);

    assertThat(failure(() -> chat.setFriends(me, b, me)))
        .isEqualTo(new Failure("22023", "friend_ids must not contain the user's own id " + me));
    assertThat(failure(() -> chat.setFriends(me, b, 999_999, 999_998)))
        .isEqualTo(new Failure("P0002", "friend_ids contains unknown user ids: 999998, 999999"));
    assertThat(failure(() -> chat.setFriends(me, b, null)))
        .isEqualTo(new Failure("22004", "friend_ids must not contain NULL"));
    assertThat(failure(() -> chat.setFriends(me, (Integer[]) null)).message())
        .startsWith("friend_ids must not be NULL");
    assertThat(failure(() -> chat.setFriends(999_999, b)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
    assertThat(friendsOf(me)).containsExactly(b);
  }

  @Test
  void setFriendsOnlyStoresTheFlagAndRefusesNullOrUnknownUser() throws SQLException {
    int me = chat.newUser("flag");

    chat.setFriendsOnly(me, true);
    assertThat(chat.value(Boolean.class, "SELECT friends_only FROM chat.users WHERE id = ?", me))
        .isTrue();
    chat.setFriendsOnly(me, false);
    assertThat(chat.value(Boolean.class, "SELECT friends_only FROM chat.users WHERE id = ?", me))
        .isFalse();

    assertThat(failure(() -> chat.run("SELECT chat.set_friends_only(?, NULL)", me)))
        .isEqualTo(new Failure("22004", "flag must not be NULL"));
    assertThat(failure(() -> chat.setFriendsOnly(999_999, true)))
        .isEqualTo(new Failure("P0002", "user_id 999999: no such user"));
  }

  private List<Integer> friendsOf(int userId) throws SQLException {
    return chat.rows("SELECT friend_id FROM chat.get_friends(?)", userId).stream()
        .map(r -> (Integer) r.get("friend_id"))
        .toList();
  }
}
