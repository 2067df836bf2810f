package dev.zgres.consumers.gateway.socket;

import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.gateway.fanout.FanOut;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.presence.PresenceKeeper;
import dev.zgres.consumers.gateway.protocol.FrameParser;
import dev.zgres.consumers.gateway.protocol.ServerFrames;
import dev.zgres.consumers.gateway.resume.Replayer;
import dev.zgres.consumers.gateway.store.ChatStore;
import dev.zgres.consumers.gateway.token.TokenSigner;

/** What every socket of one gateway shares. */
public record SocketServices(
    FrameParser parser,
    ServerFrames frames,
    TokenSigner tokens,
    ChatStore store,
    FanOut fanOut,
    Replayer replayer,
    GatewayMeters meters,
    PresenceKeeper presence,
    SocketRegistry sockets,
    GatewayConfig.Tuning tuning) {}
