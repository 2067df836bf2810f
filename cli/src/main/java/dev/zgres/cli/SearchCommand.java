package dev.zgres.cli;

import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.search.SemanticSearch;
import dev.zgres.runtime.postgres.PgConnections;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.SettingValues;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description =
        "Semantic search over chat messages as one user: only channels that user may read.")
final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--user", required = true, description = "the id of the user searching")
  int user;

  @Option(names = "--channel", description = "search this channel only")
  Integer channel;

  @Option(names = "--limit", defaultValue = "10", description = "at most this many (1 to 100)")
  int limit;

  @Parameters(index = "0", paramLabel = "<query>", description = "what to look for")
  String query;

  @Override
  public Integer call() throws Exception {
    SettingValues values =
        new SettingValues(SettingOptions.values(spec, CommonSettings.POSTGRES, System.getenv()));
    PgEndpoint db = CommonSettings.postgres(values);
    values.throwIfInvalid();
    SemanticSearch search = new SemanticSearch(OnnxTextEmbedder.load());
    PrintWriter out = spec.commandLine().getOut();
    try (Connection c = PgConnections.open(db, "zgres-search", 30_000)) {
      List<SemanticSearch.Hit> hits = search.search(c, user, query, channel, limit);
      for (SemanticSearch.Hit hit : hits) {
        out.printf(
            Locale.ROOT,
            "%.3f  #%d  message %d  %s: %s%n",
            hit.similarity(),
            hit.channelId(),
            hit.messageId(),
            hit.username() == null ? "(assistant)" : hit.username(),
            hit.content().replaceAll("\\s+", " "));
      }
      if (hits.isEmpty()) {
        out.println("no messages found");
      }
    }
    out.flush();
    return 0;
  }
}
