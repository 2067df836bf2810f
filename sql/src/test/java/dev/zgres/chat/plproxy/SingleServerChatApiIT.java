package dev.zgres.chat.plproxy;

import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.testkit.TestServers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChatApiBehaviour}, {@link GatewayApiBehaviour} and {@link SearchApiBehaviour} on one
 * database that holds the whole chat (the reference).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SingleServerChatApiIT extends ChatApiBehaviour {
  private PgEndpoint db;

  @BeforeAll
  void database() {
    db = TestServers.freshDatabase();
  }

  @Override
  PgEndpoint api() {
    return db;
  }

  /** Semantic search on the same database. */
  @Nested
  class Search extends SearchApiBehaviour {
    @Override
    PgEndpoint api() {
      return db;
    }
  }

  /** The gateway's calls on the same database. */
  @Nested
  class GatewayCalls extends GatewayApiBehaviour {
    @Override
    PgEndpoint api() {
      return db;
    }
  }
}
