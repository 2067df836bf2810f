package dev.zgres.testkit;

import dev.zgres.runtime.settings.PgEndpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code ZGRES_*} settings of a process under test, built instead of by hand: the database and
 * Kafka of the test, metrics on any free port, and whatever the test adds.
 */
public final class TestSettings {
  private final Map<String, String> values = new HashMap<>();

  private TestSettings() {}

  /** Settings pointing at {@code db} and {@code kafka}, metrics on a free port. */
  public static TestSettings of(PgEndpoint db, String kafka) {
    TestSettings settings = new TestSettings();
    settings.values.put("ZGRES_PG_URL", db.jdbcUrl());
    settings.values.put("ZGRES_PG_USER", db.user());
    settings.values.put("ZGRES_PG_PASSWORD", db.password());
    settings.values.put("ZGRES_KAFKA_BOOTSTRAP", kafka);
    settings.values.put("ZGRES_METRICS_PORT", "0");
    return settings;
  }

  /** Sets {@code name} (a {@code ZGRES_*} variable) to {@code value}. */
  public TestSettings with(String name, String value) {
    values.put(name, value);
    return this;
  }

  /** Adds every entry of {@code more}, replacing what was there. */
  public TestSettings with(Map<String, String> more) {
    values.putAll(more);
    return this;
  }

  /** A copy of the settings, keyed by environment variable. */
  public Map<String, String> toMap() {
    return Map.copyOf(values);
  }
}
