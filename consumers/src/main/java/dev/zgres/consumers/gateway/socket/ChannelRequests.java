package dev.zgres.consumers.gateway.socket;

import dev.zgres.consumers.gateway.fanout.SubscribeResult;
import dev.zgres.consumers.gateway.protocol.ClientFrame;
import dev.zgres.consumers.gateway.protocol.ErrorCodes;
import dev.zgres.consumers.gateway.store.SqlOutcome;
import java.sql.SQLException;
import java.util.List;
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

  /**
   * Checks read access, subscribes held, checks again, and only then releases the subscription: a
   * removal that commits while the socket subscribes either fails the second check or reaches the
   * socket as a record after its start, so no record after a removal ever reaches it.
   */
  void subscribe(ClientFrame.Subscribe s) {
    if (!mayRead(s)) {
      return;
    }
    SubscribeResult result = services.fanOut().subscribe(socket, s.channelId(), s.since(), s.id());
    switch (result) {
      case SubscribeResult.Refetch refetch -> {
        services.meters().resume("refetch");
        socket.deliver(services.frames().refetch(s.id(), s.channelId(), refetch.reason()));
        return;
      }
      case SubscribeResult.AlreadySubscribed already -> {
        socket.deliver(
            services
                .frames()
                .error(s.id(), ErrorCodes.INVALID, "already subscribed to " + s.channelId()));
        return;
      }
      default -> {}
    }
    socket.channels.add(s.channelId());
    if (socket.isClosed() || !mayRead(s)) {
      socket.channels.remove(s.channelId());
      services.fanOut().unsubscribe(socket, s.channelId());
      return;
    }
    if (result instanceof SubscribeResult.Replay replay) {
      services.replayer().replay(socket, s.channelId(), replay, s.id());
      return;
    }
    services.fanOut().activate(socket, s.channelId(), List.of());
    if (s.since() != null) {
      services.meters().resume("recovered");
    }
  }

  /** Whether the socket's user may read the channel now; answers the error frame when not. */
  private boolean mayRead(ClientFrame.Subscribe s) {
    String access;
    try {
      access = services.store().readAccess(socket.userId(), s.channelId());
    } catch (SQLException e) {
      refuse(s.id(), e);
      return false;
    }
    if (access.equals("ok")) {
      return true;
    }
    boolean forbidden = access.equals("forbidden");
    socket.deliver(
        services
            .frames()
            .error(
                s.id(),
                forbidden ? ErrorCodes.FORBIDDEN : ErrorCodes.NOT_FOUND,
                forbidden
                    ? "you may not read channel " + s.channelId()
                    : "no channel " + s.channelId()));
    return false;
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
