package dev.zgres.consumers.embed;

/**
 * Turns a text into a fixed-length vector whose cosine similarity to another text's vector says how
 * close their meanings are. Implementations are deterministic (same text, same vector) and safe to
 * call from several threads.
 */
public interface TextEmbedder {
  /** The vector of {@code text}, of length {@link #dimensions()}, normalised to unit length. */
  float[] embed(String text);

  /** The length of every vector this embedder returns. */
  int dimensions();

  /** A short name of the model, for logs and message metadata. */
  String modelName();
}
