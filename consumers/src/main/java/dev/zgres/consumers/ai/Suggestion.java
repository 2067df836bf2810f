package dev.zgres.consumers.ai;

/** A reply a user might send, with a confidence in [0, 1]. */
public record Suggestion(String text, double confidence) {}
