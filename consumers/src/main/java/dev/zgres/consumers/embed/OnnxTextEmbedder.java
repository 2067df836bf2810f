package dev.zgres.consumers.embed;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.time.Duration;

/**
 * BAAI bge-small-en-v1.5 (quantised, 384 dimensions), run in-process by ONNX Runtime from the model
 * shipped inside its Maven jar: nothing is downloaded. The tokenizer extracts a native library on
 * first use into {@code DJL_CACHE_DIR}, which must be writable.
 *
 * <p>Create one per process with {@link #load()} and share it: the ONNX session is the costly part,
 * and the model is thread-safe.
 */
public final class OnnxTextEmbedder implements TextEmbedder {
  /** The name recorded with embeddings and in logs. */
  public static final String MODEL_NAME = "bge-small-en-v1.5-q";

  private static final int DIMENSIONS = 384;
  private static final int MAX_CHARS = 2000;

  private final EmbeddingModel model;
  private final Duration loadTime;

  private OnnxTextEmbedder(EmbeddingModel model, Duration loadTime) {
    this.model = model;
    this.loadTime = loadTime;
  }

  /**
   * Loads the model and embeds one warm-up sentence (so that the first message does not pay for the
   * tokenizer's native library); the time both took is {@link #loadTime()}.
   */
  public static OnnxTextEmbedder load() {
    long start = System.nanoTime();
    // A direct executor: single texts are embedded on the caller's thread, and the model starts
    // no threads of its own that nobody would shut down.
    EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run);
    model.embed("warm up").content();
    return new OnnxTextEmbedder(model, Duration.ofNanos(System.nanoTime() - start));
  }

  /** How long loading the model and embedding the warm-up sentence took. */
  public Duration loadTime() {
    return loadTime;
  }

  @Override
  public float[] embed(String text) {
    String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    if (input.isBlank()) {
      input = "(empty)";
    }
    return Vectors.normalized(model.embed(input).content().vector());
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public String modelName() {
    return MODEL_NAME;
  }
}
