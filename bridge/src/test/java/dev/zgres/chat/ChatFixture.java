package dev.zgres.chat;

import dev.zgres.bridge.testing.TestServers;
import dev.zgres.bridge.testing.TestServers.PostgresEndpoint;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A fresh migrated database per test class, and a chat API connection per test. */
abstract class ChatFixture {
  static PostgresEndpoint db;
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
