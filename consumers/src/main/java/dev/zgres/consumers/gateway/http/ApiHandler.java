package dev.zgres.consumers.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zgres.consumers.gateway.limit.LoginThrottle;
import dev.zgres.consumers.gateway.metrics.GatewayMeters;
import dev.zgres.consumers.gateway.store.ChatStore;
import dev.zgres.consumers.gateway.store.SqlOutcome;
import dev.zgres.consumers.gateway.token.TokenCheck;
import dev.zgres.consumers.gateway.token.TokenSigner;
import dev.zgres.consumers.search.SemanticSearch;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/} (README, "HTTP API"). Register and login need no token; every
 * other call needs {@code Authorization: Bearer <token>} and acts as the token's user through the
 * chat SQL functions. Errors are {@code {"error": message}}; never a stack trace.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern CHANNEL =
      Pattern.compile("^/api/channels/(\\d{1,10})/(join|leave|messages|suggestions)$");
  private static final Pattern MEMBER =
      Pattern.compile("^/api/channels/(\\d{1,10})/members/(\\d{1,10})$");

  private final ChatStore store;
  private final TokenSigner tokens;
  private final LoginThrottle logins;
  private final GatewayMeters meters;
  private final ObjectMapper json;
  private final ApiRoutes routes;
  private final SearchRoute search;

  public ApiHandler(
      ChatStore store,
      TokenSigner tokens,
      LoginThrottle logins,
      GatewayMeters meters,
      ObjectMapper json,
      Supplier<SemanticSearch> search) {
    this.store = store;
    this.tokens = tokens;
    this.logins = logins;
    this.meters = meters;
    this.json = json;
    this.routes = new ApiRoutes(store);
    this.search = new SearchRoute(store, search);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback, json);
    String path = x.path();
    if (!path.startsWith("/api/")) {
      return false;
    }
    try {
      route(x, path, x.method());
    } catch (Exchange.BadRequest e) {
      x.error(400, e.getMessage());
    } catch (SQLException e) {
      SqlOutcome outcome = SqlOutcome.of(e);
      if (outcome.httpStatus() >= 500) {
        LOG.warn("chat SQL call failed on {} {}: {}", x.method(), path, e.toString());
      }
      x.error(outcome.httpStatus(), outcome.message());
    } catch (RuntimeException e) {
      LOG.warn("API call {} {} failed", x.method(), path, e);
      x.error(500, "internal error");
    }
    return true;
  }

  private void route(Exchange x, String path, String method)
      throws Exchange.BadRequest, SQLException {
    if (path.equals("/api/register") && method.equals("POST")) {
      register(x);
      return;
    }
    if (path.equals("/api/login") && method.equals("POST")) {
      login(x);
      return;
    }
    int user = authenticated(x);
    if (user == 0) {
      return;
    }
    Matcher channel = CHANNEL.matcher(path);
    Matcher member = MEMBER.matcher(path);
    switch (method + " " + path) {
      case "POST /api/token" -> issue(x, user);
      case "GET /api/channels" -> x.reply(200, Map.of("channels", store.myChannels(user)));
      case "POST /api/channels" -> routes.createChannel(x, user);
      case "GET /api/unread" -> x.reply(200, Map.of("messages", store.unread(user)));
      case "GET /api/friends" -> x.reply(200, Map.of("friends", store.friends(user)));
      case "PUT /api/friends" -> routes.setFriends(x, user);
      case "PUT /api/friends-only" -> routes.setFriendsOnly(x, user);
      case "POST /api/direct" -> routes.sendDirect(x, user);
      case "GET /api/search" -> search.handle(x, user);
      default -> {
        if (channel.matches()) {
          routes.channel(x, user, Integer.parseInt(channel.group(1)), channel.group(2), method);
        } else if (member.matches() && method.equals("DELETE")) {
          store.removeMember(
              user, Integer.parseInt(member.group(1)), Integer.parseInt(member.group(2)));
          x.noContent();
        } else {
          x.error(404, "no such API call: " + method + " " + ApiRoutes.shown(path));
        }
      }
    }
  }

  private void register(Exchange x) throws Exchange.BadRequest, SQLException {
    JsonNode body = x.body();
    int id =
        store.register(
            ApiRoutes.text(body, "username"),
            ApiRoutes.text(body, "password"),
            ApiRoutes.text(body, "email"));
    x.reply(201, Map.of("user_id", id));
  }

  private void login(Exchange x) throws Exchange.BadRequest, SQLException {
    JsonNode body = x.body();
    String username = ApiRoutes.text(body, "username");
    String password = ApiRoutes.text(body, "password");
    if (!logins.admit(username, x.clientAddress())) {
      meters.login("rate_limited");
      x.error(429, "too many login attempts; wait a minute");
      return;
    }
    OptionalInt user = store.login(username, password);
    if (user.isEmpty()) {
      meters.login("refused");
      x.error(401, "invalid username or password");
      return;
    }
    meters.login("ok");
    issue(x, user.getAsInt());
  }

  /** A new token for the user: at login, and for a valid token before it expires. */
  private void issue(Exchange x, int user) {
    TokenSigner.IssuedToken token = tokens.issue(user);
    x.reply(
        200,
        Map.of(
            "token",
            token.token(),
            "user_id",
            token.userId(),
            "expires_at",
            token.expiresAt().toString()));
  }

  /** The token's user, or 0 after answering 401. */
  private int authenticated(Exchange x) {
    String header = x.header(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      meters.authFailure("missing");
      x.error(401, "an Authorization: Bearer <token> header is required");
      return 0;
    }
    TokenCheck check = tokens.check(header.substring(7).trim());
    if (check instanceof TokenCheck.Valid valid) {
      return valid.userId();
    }
    TokenCheck.Reason reason = ((TokenCheck.Refused) check).reason();
    meters.authFailure(reason.label());
    x.error(401, "the token is " + reason.label());
    return 0;
  }
}
