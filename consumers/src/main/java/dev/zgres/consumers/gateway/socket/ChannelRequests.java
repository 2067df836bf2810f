package dev.zgres.consumers.gateway.socket;

import dev.zgres.consumers.gateway.fanout.SubscribeResult;
import dev.zgres.consumers.gateway.protocol.ClientFrame;
import dev.zgres.consumers.gateway.protocol.ErrorCodes;
import dev.zgres.consumers.gateway.store.SqlOutcome;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket's channel requests: subscribe (with its read check and resume), unsubscribe, send and
 * typing, each acting as the socket's authenticated user. Failures become {@code error} frames with
 * the request's id.
 */
final class ChannelRequests {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelRequests.class);
  private final ClientSocket socket;
  private final SocketServices services;

  ChannelRequests(ClientSocket socket, SocketServices services) {
    this.socket = socket;
    this.services = services;
  }

  void subscribe(ClientFrame.Subscribe s) {
    String access;
    try {
      access = services.store().readAccess(socket.userId(), s.channelId());
    } catch (SQLException e) {
      refuse(s.id(), e);
      return;
    }
    if (!access.equals("ok")) {
      String code = access.equals("forbidden") ? ErrorCodes.FORBIDDEN : ErrorCodes.NOT_FOUND;
      String message =
          access.equals("forbidden")
              ? "you may not read channel " + s.channelId()
              : "no channel " + s.channelId();
      socket.deliver(services.frames().error(s.id(), code, message));
      return;
    }
    socket.channels.add(s.channelId());
    SubscribeResult result = services.fanOut().subscribe(socket, s.channelId(), s.since(), s.id());
    if (socket.isClosed()) {
      services.fanOut().unsubscribe(socket, s.channelId());
      return;
    }
    switch (result) {
      case SubscribeResult.Done done -> {
        if (s.since() != null) {
          services.meters().resume("recovered");
        }
      }
      case SubscribeResult.Replay replay ->
          services.replayer().replay(socket, s.channelId(), replay, s.id());
      case SubscribeResult.Refetch refetch -> {
        socket.channels.remove(s.channelId());
        services.meters().resume("refetch");
        socket.deliver(services.frames().refetch(s.id(), s.channelId(), refetch.reason()));
      }
      case SubscribeResult.AlreadySubscribed already ->
          socket.deliver(
              services
                  .frames()
                  .error(s.id(), ErrorCodes.INVALID, "already subscribed to " + s.channelId()));
    }
  }

  void unsubscribe(ClientFrame.Unsubscribe u) {
    socket.channels.remove(u.channelId());
    boolean was = services.fanOut().unsubscribe(socket, u.channelId());
    socket.deliver(
        services
            .frames()
            .unsubscribed(u.id(), u.channelId(), was ? "requested" : "not_subscribed"));
  }

  void send(ClientFrame.Send s) {
    try {
      long id = services.store().postMessage(socket.userId(), s.channelId(), s.content());
      socket.deliver(services.frames().sent(s.id(), id));
    } catch (SQLException e) {
      refuse(s.id(), e);
    }
  }

  void typing(ClientFrame.Typing t) {
    try {
      services.store().typing(socket.userId(), t.channelId(), t.isTyping());
    } catch (SQLException e) {
      refuse(t.id(), e);
    }
  }

  private void refuse(String id, SQLException e) {
    SqlOutcome outcome = SqlOutcome.of(e);
    if (outcome.httpStatus() >= 500) {
      LOG.warn("chat SQL call failed for user {}: {}", socket.userId(), e.toString());
    }
    socket.deliver(services.frames().error(id, outcome.code(), outcome.message()));
  }
}
