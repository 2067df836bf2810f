package dev.zgres.consumers.gateway.socket;

import dev.zgres.consumers.gateway.fanout.SendQueue;
import dev.zgres.consumers.gateway.fanout.Subscriber;
import dev.zgres.consumers.gateway.limit.TokenBucket;
import dev.zgres.consumers.gateway.protocol.ClientFrame;
import dev.zgres.consumers.gateway.protocol.CloseCodes;
import dev.zgres.consumers.gateway.protocol.ErrorCodes;
import dev.zgres.consumers.gateway.protocol.ParseResult;
import dev.zgres.consumers.gateway.token.TokenCheck;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;

/**
 * One client's WebSocket: authentication (first frame, within the timeout), token expiry with a
 * grace period to {@code refresh}, pings when idle, and the frames of the protocol. Channel
 * requests are handled by {@link ChannelRequests}; writes go through a bounded {@link
 * SocketWriter}.
 */
public final class ClientSocket implements Session.Listener.AutoDemanding, Subscriber {
  private static final int MAX_MALFORMED = 10;
  private static final int MAX_REFUSED = 50;
  private static final long SLOW_CLOSE_GRACE_NANOS = 10_000_000_000L;

  private final SocketServices services;
  private final ChannelRequests requests;
  private final long openedNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  final Set<Integer> channels = ConcurrentHashMap.newKeySet();
  private volatile Session session;
  private volatile SocketWriter writer;
  private volatile int userId;
  private volatile Instant expiresAt;
  private volatile boolean expiryWarned;
  private volatile long lastHeardNanos;
  private volatile boolean pingSent;
  private volatile long tooSlowSinceNanos;
  private int malformed;
  private int refused;
  private final TokenBucket sends;
  private final TokenBucket typings;

  public ClientSocket(SocketServices services) {
    this.services = services;
    this.requests = new ChannelRequests(this, services);
    this.openedNanos = System.nanoTime();
    this.lastHeardNanos = openedNanos;
    double sendRate = services.tuning().sendsPerSecond();
    double typingRate = services.tuning().typingPerSecond();
    this.sends = new TokenBucket(sendRate, (int) Math.max(1, 2 * sendRate), openedNanos);
    this.typings = new TokenBucket(typingRate, (int) Math.max(1, 2 * typingRate), openedNanos);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    this.writer =
        new SocketWriter(
            ((WebSocketSession) session).getCoreSession(),
            new SendQueue(services.tuning().sendQueueFrames(), services.tuning().sendQueueBytes()),
            services.meters()::frameOut,
            () -> close(1011, "write failed"));
    services.sockets().add(this);
  }

  @Override
  public void onWebSocketText(String text) {
    lastHeardNanos = System.nanoTime();
    pingSent = false;
    ParseResult parsed = services.parser().parse(text);
    if (parsed instanceof ParseResult.Invalid invalid) {
      services.meters().frameIn("invalid");
      deliver(services.frames().error(invalid.id(), invalid.code(), invalid.message()));
      if (invalid.code().equals(ErrorCodes.TOO_LARGE)) {
        close(CloseCodes.MALFORMED, "frame too large");
      } else if (userId == 0) {
        close(CloseCodes.MALFORMED, "malformed frame before auth");
      } else if (++malformed >= MAX_MALFORMED) {
        close(CloseCodes.MALFORMED, "too many malformed frames");
      }
      return;
    }
    ClientFrame frame = ((ParseResult.Valid) parsed).frame();
    services.meters().frameIn(frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    if (userId == 0 && !(frame instanceof ClientFrame.Auth)) {
      services.meters().authFailure("missing");
      close(CloseCodes.NO_AUTH, "the first frame must be auth");
      return;
    }
    switch (frame) {
      case ClientFrame.Auth auth -> authenticate(auth.id(), auth.token(), userId != 0);
      case ClientFrame.Refresh refresh -> authenticate(refresh.id(), refresh.token(), true);
      case ClientFrame.Subscribe s -> requests.subscribe(s);
      case ClientFrame.Unsubscribe u -> requests.unsubscribe(u);
      case ClientFrame.Send s -> {
        if (allowed(sends, s.id())) {
          requests.send(s);
        }
      }
      case ClientFrame.Typing t -> {
        if (allowed(typings, t.id())) {
          requests.typing(t);
        }
      }
      case ClientFrame.Pong p -> {}
    }
  }

  private boolean allowed(TokenBucket bucket, String id) {
    boolean ok;
    synchronized (bucket) {
      ok = bucket.tryTake(System.nanoTime());
    }
    if (ok) {
      refused = 0;
      return true;
    }
    deliver(services.frames().error(id, ErrorCodes.RATE_LIMITED, "too many frames; slow down"));
    if (++refused >= MAX_REFUSED) {
      close(CloseCodes.FORBIDDEN, "flooding");
    }
    return false;
  }

  private void authenticate(String id, String token, boolean refresh) {
    TokenCheck check = services.tokens().check(token);
    if (check instanceof TokenCheck.Refused r) {
      services.meters().authFailure(r.reason().label());
      close(CloseCodes.BAD_TOKEN, "token " + r.reason().label());
      return;
    }
    TokenCheck.Valid valid = (TokenCheck.Valid) check;
    if (refresh && valid.userId() != userId) {
      services.meters().authFailure("other_user");
      close(CloseCodes.BAD_TOKEN, "a refresh must be for the same user");
      return;
    }
    expiresAt = valid.expiresAt();
    expiryWarned = false;
    if (!refresh) {
      userId = valid.userId();
      services.presence().connected(userId);
    }
    deliver(services.frames().authOk(id, valid.userId(), valid.expiresAt()));
  }

  /** Timers, run a few times a second by the gateway for every open socket. */
  void tick(long nowNanos) {
    long slowSince = tooSlowSinceNanos;
    if (slowSince != 0 && nowNanos - slowSince > SLOW_CLOSE_GRACE_NANOS) {
      // The close frame waits behind frames the client does not read: cut the connection.
      Session s = session;
      if (s != null && s.isOpen()) {
        s.disconnect();
      }
      return;
    }
    if (closed.get()) {
      return;
    }
    if (userId == 0) {
      if (nowNanos - openedNanos >= services.tuning().authTimeout().toNanos()) {
        services.meters().authFailure("timeout");
        close(CloseCodes.NO_AUTH, "no auth in time");
      }
      return;
    }
    Instant now = Instant.now();
    Instant expiry = expiresAt;
    if (!now.isBefore(expiry)) {
      if (!now.isBefore(expiry.plus(services.tuning().tokenGrace()))) {
        close(CloseCodes.TOKEN_EXPIRED, "token expired");
        return;
      }
      if (!expiryWarned) {
        expiryWarned = true;
        deliver(
            services
                .frames()
                .error(null, "token_expired", "the token expired: send refresh with a new token"));
      }
    }
    long silent = nowNanos - lastHeardNanos;
    long interval = services.tuning().pingInterval().toNanos();
    if (silent >= 2 * interval) {
      close(1001, "no answer to ping");
    } else if (silent >= interval && !pingSent) {
      pingSent = true;
      deliver(services.frames().ping());
    }
  }

  @Override
  public int userId() {
    return userId;
  }

  @Override
  public boolean deliver(byte[] frame) {
    SocketWriter w = writer;
    if (closed.get() || w == null) {
      return false;
    }
    if (w.write(frame)) {
      return true;
    }
    if (tooSlowSinceNanos == 0) {
      tooSlowSinceNanos = System.nanoTime();
      services.meters().slowClose();
      // Stop delivering now; the fan-out drops a subscriber that refuses a frame.
      closed.set(true);
      close(CloseCodes.TOO_SLOW, "too slow");
    }
    return false;
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void subscriptionEnded(int channelId) {
    channels.remove(channelId);
  }

  /** Closes the socket with a protocol code; later calls do nothing. */
  public void close(int code, String reason) {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(code, reason, Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    services.sockets().remove(this);
    release();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    services.sockets().remove(this);
    release();
  }

  private void release() {
    closed.set(true);
    if (!released.compareAndSet(false, true)) {
      return;
    }
    for (Integer channel : channels) {
      services.fanOut().unsubscribe(this, channel);
    }
    channels.clear();
    if (userId != 0) {
      services.presence().disconnected(userId);
    }
  }
}
