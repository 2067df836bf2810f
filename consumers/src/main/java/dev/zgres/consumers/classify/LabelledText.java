package dev.zgres.consumers.classify;

/** One example for training or evaluation: a text and its label. */
public record LabelledText(String label, String text) {
  public LabelledText {
    if (label == null || label.isBlank() || text == null || text.isBlank()) {
      throw new IllegalArgumentException("label and text must not be blank");
    }
  }
}
