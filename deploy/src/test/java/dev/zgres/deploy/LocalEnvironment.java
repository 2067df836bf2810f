package dev.zgres.deploy;

import dev.zgres.embedded.FreePort;
import dev.zgres.runtime.settings.PgEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compose service's environment rewritten for this machine, changing only what names the compose
 * network: the database and Kafka addresses, ports (each a free one), the image's DJL cache, and
 * secrets (each {@code /run/secrets/<name>} becomes a copy of the compose secret's file; the
 * database password becomes the test database's). Everything else is passed as written.
 */
final class LocalEnvironment {
  private final ComposeFile compose;
  private final PgEndpoint database;
  private final String kafka;
  private final Path dir;

  LocalEnvironment(ComposeFile compose, PgEndpoint database, String kafka, Path dir) {
    this.compose = compose;
    this.database = database;
    this.kafka = kafka;
    this.dir = dir;
  }

  Map<String, String> of(ComposeService service) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : service.environment().entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      switch (name) {
        case "ZGRES_PG_URL" -> value = database.jdbcUrl();
        case "ZGRES_PG_USER" -> value = database.user();
        case "ZGRES_PG_PASSWORD_FILE" -> value = write("postgres_password", database.password());
        case "ZGRES_KAFKA_BOOTSTRAP" -> value = kafka;
        default -> {
          if (name.endsWith("_PORT")) {
            value = String.valueOf(FreePort.pick());
          } else if (value.startsWith("/run/secrets/")) {
            String secret = value.substring("/run/secrets/".length());
            value = write(secret, Files.readString(compose.secretFiles().get(secret)));
          }
        }
      }
      env.put(name, value);
    }
    env.putIfAbsent("ZGRES_METRICS_PORT", String.valueOf(FreePort.pick()));
    Path djl = dir.resolve("djl-cache");
    Files.createDirectories(djl);
    env.put("DJL_CACHE_DIR", djl.toString());
    return env;
  }

  private String write(String secret, String content) throws IOException {
    Path file = dir.resolve("secret-" + secret);
    Files.writeString(file, content);
    return file.toString();
  }
}
