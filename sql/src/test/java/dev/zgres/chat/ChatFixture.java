package dev.zgres.chat;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.ChatApi;
import dev.zgres.testkit.TestServers;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A fresh migrated database per test class, and a chat API connection per test. */
abstract class ChatFixture {
  static PgEndpoint db;
  ChatApi chat;

  @BeforeAll
  static void database() {
    db = TestServers.freshDatabase();
  }

  @BeforeEach
  void connect() throws SQLException {
    chat = ChatApi.connect(db);
  }

  @AfterEach
  void disconnect() throws SQLException {
    chat.close();
  }
}
