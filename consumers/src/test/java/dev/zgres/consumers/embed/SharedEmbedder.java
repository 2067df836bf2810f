package dev.zgres.consumers.embed;

/** One embedder for every test in the JVM, loaded on first use: the model is the slow part. */
public final class SharedEmbedder {
  private static OnnxTextEmbedder embedder;

  private SharedEmbedder() {}

  public static synchronized OnnxTextEmbedder get() {
    if (embedder == null) {
      embedder = OnnxTextEmbedder.load();
      System.out.printf(
          "model %s loaded in %d ms%n", embedder.modelName(), embedder.loadTime().toMillis());
    }
    return embedder;
  }
}
