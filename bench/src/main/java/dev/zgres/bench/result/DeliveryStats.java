package dev.zgres.bench.result;

import dev.zgres.bench.measure.LatencySummary;

/**
 * How the events of one phase reached the receiver.
 *
 * @param received events committed and received
 * @param missing events committed but not received when the drain timed out
 * @param early events received before their writer's commit call had returned (latency 0)
 * @param rate received events per second, from the phase's start to the last receipt
 * @param latency commit (as the writer saw it return) to receipt
 * @param downstream Kafka only: the bridge's receipt (its {@code zgres-received-at} header) to
 *     receipt here, millisecond resolution; the rest of {@code latency} is PostgreSQL to bridge
 * @param bridgeAck Kafka only: receipt at the bridge to Kafka's acknowledgement, from the bridge's
 *     own latency histogram (bucket upper bounds; no max)
 */
public record DeliveryStats(
    long received,
    long missing,
    long early,
    double rate,
    LatencySummary latency,
    LatencySummary downstream,
    LatencySummary bridgeAck) {}
