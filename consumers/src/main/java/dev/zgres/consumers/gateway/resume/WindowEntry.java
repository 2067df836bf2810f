package dev.zgres.consumers.gateway.resume;

/**
 * One record of a channel as the gateway sends it: its offset in the channel's partition, its
 * encoded {@code message} frame (shared by every recipient), and the user whose read access ends
 * with this record ({@code member_left} / {@code member_removed} in a channel only members read),
 * or 0 when it revokes nobody.
 */
public record WindowEntry(long offset, byte[] frame, int revokesUser) {}
