package dev.zgres.consumers.search;

import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.embed.TextEmbedder;
import java.util.function.Supplier;

/**
 * A {@link SemanticSearch} whose embedding model is loaded on the first search, once, so that a
 * process that serves search (the gateway) pays for the model only when somebody searches.
 */
public final class SearchOnDemand implements Supplier<SemanticSearch> {
  private final Supplier<TextEmbedder> loader;
  private volatile SemanticSearch search;

  public SearchOnDemand() {
    this(OnnxTextEmbedder::load);
  }

  public SearchOnDemand(Supplier<TextEmbedder> loader) {
    this.loader = loader;
  }

  @Override
  public SemanticSearch get() {
    SemanticSearch loaded = search;
    if (loaded == null) {
      synchronized (this) {
        loaded = search;
        if (loaded == null) {
          loaded = new SemanticSearch(loader.get());
          search = loaded;
        }
      }
    }
    return loaded;
  }
}
