package dev.zgres.bridge.publish;

import dev.zgres.bridge.config.SourceKind;

/**
 * One payload on its way from PostgreSQL to Kafka.
 *
 * @param channel the channel it was emitted on
 * @param payload the payload bytes, never rewritten
 * @param eventId identity that stays the same when the event is delivered again
 * @param source how it reached the bridge
 * @param receivedAtMillis wall-clock time of receipt, for the {@code zgres-received-at} header
 * @param receivedAtNanos monotonic time of receipt, for the latency histogram
 * @param lsn the commit LSN in wal mode, else null
 * @param metricLabel the configured channel entry it matched (bounded cardinality)
 * @param onAck run once Kafka acknowledged the record (or its dead letter); may be null
 */
public record Event(
    String channel,
    byte[] payload,
    String eventId,
    SourceKind source,
    long receivedAtMillis,
    long receivedAtNanos,
    String lsn,
    String metricLabel,
    Runnable onAck) {}
