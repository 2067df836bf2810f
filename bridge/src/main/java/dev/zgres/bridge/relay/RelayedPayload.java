package dev.zgres.bridge.relay;

/**
 * A payload that reached the bridge through {@code zgres_relay} rather than its own channel.
 *
 * @param channel the channel it was emitted on
 * @param payload its text, exactly as emitted
 * @param spillId the {@code zgres.spill} row holding it, or 0 when it came inline
 */
public record RelayedPayload(String channel, String payload, long spillId) {}
