package dev.zgres.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.gateway.Gateway;
import dev.zgres.consumers.gateway.GatewayConfig;
import dev.zgres.consumers.gateway.token.TokenSigner;
import dev.zgres.gateway.GatewayFixture.User;
import dev.zgres.testkit.TestServers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One real bridge and gateway; clients over real HTTP and WebSocket. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayIT {
  static GatewayFixture fixture;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    fixture = new GatewayFixture();
    GatewayConfig.Tuning tuning = GatewayConfig.Tuning.defaults();
    tuning =
        new GatewayConfig.Tuning(
            tuning.tokenLifetime(),
            tuning.tokenGrace(),
            tuning.authTimeout(),
            tuning.pingInterval(),
            tuning.sendQueueFrames(),
            tuning.sendQueueBytes(),
            tuning.windowRecords(),
            tuning.maxReplay(),
            10,
            3,
            5,
            1000,
            tuning.presenceTtl(),
            tuning.dbPoolSize());
    gateway = fixture.gateway(tuning);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private static String subscribe(int channel) {
    return "{\"type\":\"subscribe\",\"channel_id\":" + channel + ",\"id\":\"s" + channel + "\"}";
  }

  @Test
  void loginGivesATokenAndRefusesAWrongPasswordAndAnUnknownUserAlike() throws Exception {
    User alice = fixture.user(gateway, "alice");
    assertThat(alice.token()).isNotBlank();
    HttpResponse<String> wrong =
        fixture.post(
            gateway,
            "/api/login",
            null,
            "{\"username\":\"" + alice.name() + "\",\"password\":\"wrong\"}");
    HttpResponse<String> unknown =
        fixture.post(
            gateway, "/api/login", null, "{\"username\":\"nobody_here\",\"password\":\"wrong\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.body())
        .isEqualTo(unknown.body())
        .isEqualTo("{\"error\":\"invalid username or password\"}");
  }

  @Test
  void loginAttemptsForOneUsernameAreRateLimited() throws Exception {
    User bob = fixture.user(gateway, "bob"); // one attempt used by the fixture's login
    int[] statuses = new int[5];
    for (int i = 0; i < statuses.length; i++) {
      statuses[i] =
          fixture
              .post(
                  gateway,
                  "/api/login",
                  null,
                  "{\"username\":\"" + bob.name() + "\",\"password\":\"wrong\"}")
              .statusCode();
    }
    assertThat(statuses).containsSubsequence(401, 429).endsWith(429);
  }

  @Test
  void theApiRefusesMissingAndForgedTokens() throws Exception {
    assertThat(fixture.get(gateway, "/api/channels", null).statusCode()).isEqualTo(401);
    assertThat(fixture.get(gateway, "/api/channels", "not.a.token").statusCode()).isEqualTo(401);
  }

  @Test
  void aSocketWhoseFirstFrameIsNotAuthIsClosedWith4500() {
    try (WsClient ws = WsClient.connect(gateway.port())) {
      ws.send(subscribe(1));
      assertThat(ws.awaitClose()).isEqualTo(4500);
    }
  }

  @Test
  void aSocketThatNeverAuthenticatesIsClosedWith4500() {
    try (WsClient ws = WsClient.connect(gateway.port())) {
      long start = System.nanoTime();
      assertThat(ws.awaitClose()).isEqualTo(4500);
      System.out.printf(
          "auth timeout closed the socket after %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
  }

  @Test
  void forgedAndExpiredTokensAreClosedWith4501() throws Exception {
    User carol = fixture.user(gateway, "carol");
    String forged =
        new TokenSigner(
                "another secret, also thirty-two bytes".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1),
                Clock.systemUTC())
            .issue(carol.id())
            .token();
    String expired =
        new TokenSigner(
                GatewayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
            .issue(carol.id())
            .token();
    for (String token : List.of(forged, expired, "garbage")) {
      try (WsClient ws = WsClient.connect(gateway.port())) {
        ws.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        assertThat(ws.awaitClose()).as(token).isEqualTo(4501);
      }
    }
  }

  @Test
  void aTokenInTheUrlIsRefused() {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      assertThatThrownBy(
              () ->
                  http.newWebSocketBuilder()
                      .buildAsync(
                          java.net.URI.create("ws://127.0.0.1:" + gateway.port() + "/ws?token=abc"),
                          new java.net.http.WebSocket.Listener() {})
                      .join())
          .cause()
          .isInstanceOfSatisfying(
              java.net.http.WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
    }
  }

  @Test
  void aNonMemberIsRefusedOnAPrivateChannelAndAMissingChannelIsNotFound() throws Exception {
    User owner = fixture.user(gateway, "owner");
    User stranger = fixture.user(gateway, "stranger");
    int channel = fixture.createChannel(gateway, owner, "private");
    try (WsClient ws = WsClient.authenticated(gateway.port(), stranger.token())) {
      ws.send(subscribe(channel));
      JsonNode error = ws.awaitType("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");
      assertThat(error.get("id").asText()).isEqualTo("s" + channel);
      ws.send(subscribe(999_999));
      assertThat(ws.awaitType("error").get("code").asText()).isEqualTo("not_found");
    }
    HttpResponse<String> history =
        fixture.get(gateway, "/api/channels/" + channel + "/messages", stranger.token());
    assertThat(history.statusCode()).isEqualTo(403);
  }

  @Test
  void aSentMessageArrivesThroughTheBridgeAndTypingReachesTheOthers() throws Exception {
    User dan = fixture.user(gateway, "dan");
    User eve = fixture.user(gateway, "eve");
    int channel = fixture.createChannel(gateway, dan, "private", eve.id());
    try (WsClient a = WsClient.authenticated(gateway.port(), dan.token());
        WsClient b = WsClient.authenticated(gateway.port(), eve.token())) {
      a.send(subscribe(channel));
      b.send(subscribe(channel));
      JsonNode subscribed = a.awaitType("subscribed");
      assertThat(subscribed.get("recovered").asBoolean()).isFalse();
      b.awaitType("subscribed");
      a.send("{\"type\":\"send\",\"channel_id\":" + channel + ",\"content\":\"hi eve\",\"id\":7}");
      JsonNode sent = a.awaitType("sent");
      assertThat(sent.get("id").asInt()).isEqualTo(7);
      JsonNode message = b.awaitMessages(channel, 1).get(0);
      assertThat(message.get("event").get("message_id").asLong())
          .isEqualTo(sent.get("message_id").asLong());
      assertThat(message.get("event").get("content").asText()).isEqualTo("hi eve");
      assertThat(message.get("event").get("user_id").asInt()).isEqualTo(dan.id());
      assertThat(message.get("epoch").asText()).isEqualTo(subscribed.get("epoch").asText());

      a.send("{\"type\":\"typing\",\"channel_id\":" + channel + ",\"is_typing\":true}");
      JsonNode typing = b.awaitType("typing");
      assertThat(typing.get("user_id").asInt()).isEqualTo(dan.id());
      assertThat(typing.get("is_typing").asBoolean()).isTrue();
      assertThat(typing.get("expires_in_ms").asInt()).isEqualTo(6000);
      a.awaitMessages(channel, 1);
      assertThat(a.drain(Duration.ofMillis(500)))
          .noneMatch(f -> f.path("type").asText().equals("typing"));
    }
  }

  @Test
  void aRemovedMemberReceivesNothingAfterTheRemoval() throws Exception {
    User owner = fixture.user(gateway, "boss");
    User member = fixture.user(gateway, "staff");
    int channel = fixture.createChannel(gateway, owner, "private", member.id());
    try (WsClient o = WsClient.authenticated(gateway.port(), owner.token());
        WsClient m = WsClient.authenticated(gateway.port(), member.token())) {
      o.send(subscribe(channel));
      m.send(subscribe(channel));
      o.awaitType("subscribed");
      m.awaitType("subscribed");
      fixture.post(owner.id(), channel, "before");
      HttpResponse<String> removed =
          fixture.send(
              gateway,
              "DELETE",
              "/api/channels/" + channel + "/members/" + member.id(),
              owner.token(),
              null);
      assertThat(removed.statusCode()).isEqualTo(204);
      fixture.post(owner.id(), channel, "after");

      List<JsonNode> ownerSaw = o.awaitMessages(channel, 3);
      assertThat(ownerSaw)
          .extracting(f -> f.get("event").get("event").asText())
          .containsExactly("message_created", "member_removed", "message_created");
      List<JsonNode> memberSaw = m.awaitMessages(channel, 2);
      assertThat(memberSaw)
          .extracting(f -> f.get("event").get("event").asText())
          .containsExactly("message_created", "member_removed");
      JsonNode unsubscribed = m.awaitType("unsubscribed");
      assertThat(unsubscribed.get("reason").asText()).isEqualTo("membership_revoked");
      long removal = memberSaw.get(1).get("offset").asLong();
      assertThat(m.drain(Duration.ofMillis(500)))
          .as("message frames after the removal at offset %d", removal)
          .noneMatch(
              f ->
                  f.path("type").asText().equals("message") && f.path("offset").asLong() > removal);
      m.send(subscribe(channel));
      assertThat(m.awaitType("error").get("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void aModerationVerdictOnTheChannelReachesSubscribersAsAModerationFrame() throws Exception {
    User mod = fixture.user(gateway, "mod");
    int channel = fixture.createChannel(gateway, mod, "public");
    try (WsClient ws = WsClient.authenticated(gateway.port(), mod.token())) {
      ws.send(subscribe(channel));
      ws.awaitType("subscribed");
      long message = fixture.post(mod.id(), channel, "something rude");
      // What the moderator emits on the channel (issue 9): the verdict, in order with the messages.
      fixture.sql(
          "SELECT zgres.emit(?, json_build_object('event', 'message_moderated', 'message_id', ?,"
              + " 'channel_id', ?, 'risk_level', 'unsafe', 'reasons', json_build_array('insult'))::text)",
          "chat_message_" + channel,
          message,
          channel);
      JsonNode created = ws.awaitMessages(channel, 1).get(0);
      JsonNode verdict = ws.awaitType("moderation");
      assertThat(verdict.get("message_id").asLong()).isEqualTo(message);
      assertThat(verdict.get("risk_level").asText()).isEqualTo("unsafe");
      assertThat(verdict.get("reasons").get(0).asText()).isEqualTo("insult");
      assertThat(verdict.get("offset").asLong()).isGreaterThan(created.get("offset").asLong());
    }
  }

  @Test
  void malformedUnknownAndOversizedFramesGetErrorsThenAClose() throws Exception {
    User frank = fixture.user(gateway, "frank");
    try (WsClient ws = WsClient.authenticated(gateway.port(), frank.token())) {
      ws.send("not json");
      assertThat(ws.awaitType("error").get("code").asText()).isEqualTo("malformed");
      ws.send("{\"type\":\"shout\",\"id\":\"q\"}");
      JsonNode unknown = ws.awaitType("error");
      assertThat(unknown.get("code").asText()).isEqualTo("unknown_type");
      assertThat(unknown.get("id").asText()).isEqualTo("q");
      ws.send("{\"type\":\"subscribe\",\"channel_id\":\"x\"}");
      assertThat(ws.awaitType("error").get("message").asText())
          .isEqualTo("channel_id must be a positive integer");
      ws.send("{\"type\":\"pong\"}");
      ws.send("{\"type\":\"send\",\"channel_id\":1,\"content\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertThat(ws.awaitType("error").get("code").asText()).isEqualTo("too_large");
      assertThat(ws.awaitClose()).isEqualTo(4502);
    }
  }

  @Test
  void aFloodOfSendFramesIsRateLimited() throws Exception {
    User gina = fixture.user(gateway, "gina");
    int channel = fixture.createChannel(gateway, gina, "public");
    try (WsClient ws = WsClient.authenticated(gateway.port(), gina.token())) {
      for (int i = 0; i < 40; i++) {
        ws.send("{\"type\":\"send\",\"channel_id\":" + channel + ",\"content\":\"m" + i + "\"}");
      }
      JsonNode limited =
          ws.await(
              "rate_limited error",
              f ->
                  f.path("type").asText().equals("error")
                      && f.path("code").asText().equals("rate_limited"));
      assertThat(limited.get("message").asText()).isEqualTo("too many frames; slow down");
    }
  }

  @Test
  void theHttpApiListsChannelsPagesHistoryAndReturnsUnreadMessages() throws Exception {
    User hal = fixture.user(gateway, "hal");
    User ivy = fixture.user(gateway, "ivy");
    int channel = fixture.createChannel(gateway, hal, "private", ivy.id());
    for (int i = 0; i < 3; i++) {
      fixture.post(hal.id(), channel, "h" + i);
    }
    JsonNode channels =
        GatewayFixture.json(fixture.get(gateway, "/api/channels", ivy.token()).body());
    assertThat(channels.get("channels").findValuesAsText("channel_id")).contains("" + channel);
    JsonNode page =
        GatewayFixture.json(
            fixture
                .get(gateway, "/api/channels/" + channel + "/messages?limit=2", ivy.token())
                .body());
    assertThat(page.get("messages").findValuesAsText("content")).containsExactly("h2", "h1");
    JsonNode unread = GatewayFixture.json(fixture.get(gateway, "/api/unread", ivy.token()).body());
    assertThat(unread.get("messages").findValuesAsText("content"))
        .containsExactly("h0", "h1", "h2");
    JsonNode again = GatewayFixture.json(fixture.get(gateway, "/api/unread", ivy.token()).body());
    assertThat(again.get("messages")).isEmpty();
    HttpResponse<String> dm =
        fixture.post(
            gateway,
            "/api/direct",
            ivy.token(),
            "{\"receiver_id\":" + hal.id() + ",\"body\":\"psst\"}");
    assertThat(dm.statusCode()).isEqualTo(201);
  }

  @Test
  void searchFindsTheClosestMessagesOnlyInChannelsTheUserMayRead() throws Exception {
    User kim = fixture.user(gateway, "kim");
    User lou = fixture.user(gateway, "lou");
    User max = fixture.user(gateway, "max");
    int secret = fixture.createChannel(gateway, kim, "private", lou.id());
    int open = fixture.createChannel(gateway, kim, "public", lou.id(), max.id());
    OnnxTextEmbedder model = OnnxTextEmbedder.load();
    long vpnPrivate =
        analysed(model, kim, secret, "reset your VPN password at the self-service portal");
    long lunch = analysed(model, kim, secret, "lunch is at noon in the big room");
    long vpnPublic = analysed(model, lou, open, "the VPN password reset page is down today");
    String query = "/api/search?q=how%20do%20I%20reset%20my%20VPN%20password";

    List<String> asMember =
        GatewayFixture.json(fixture.get(gateway, query, lou.token()).body())
            .get("results")
            .findValuesAsText("message_id");
    assertThat(asMember).startsWith("" + vpnPrivate).contains("" + vpnPublic);
    assertThat(asMember.indexOf("" + vpnPublic)).isLessThan(asMember.indexOf("" + lunch));

    List<String> asOutsider =
        GatewayFixture.json(fixture.get(gateway, query, max.token()).body())
            .get("results")
            .findValuesAsText("message_id");
    assertThat(asOutsider).contains("" + vpnPublic).doesNotContain("" + vpnPrivate, "" + lunch);

    assertThat(fixture.get(gateway, query + "&channel_id=" + secret, max.token()).statusCode())
        .isEqualTo(403);
    assertThat(fixture.get(gateway, "/api/search", max.token()).statusCode()).isEqualTo(400);
    assertThat(fixture.get(gateway, query + "&limit=0", max.token()).statusCode()).isEqualTo(400);
  }

  /** Posts a message and stores its embedding, as the AI worker would. */
  private static long analysed(OnnxTextEmbedder model, User author, int channel, String content)
      throws Exception {
    long id = fixture.post(author.id(), channel, content);
    float[] raw = model.embed(content);
    Float[] vector = new Float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      vector[i] = raw[i];
    }
    try (Connection c = TestServers.connect(fixture.db);
        PreparedStatement s = c.prepareStatement("SELECT chat.store_message_analysis(?, ?, 0)")) {
      s.setLong(1, id);
      s.setArray(2, c.createArrayOf("real", vector));
      s.execute();
    }
    return id;
  }

  @Test
  void metricsAndHealthAreServed() throws Exception {
    HttpResponse<String> health = fixture.get(gateway, "/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"up\"");
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      HttpResponse<String> separate =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(separate.statusCode()).isEqualTo(200);
      assertThat(separate.body()).contains("\"kafka_feed\":true");
    }
    HttpResponse<String> metrics = fixture.get(gateway, "/metrics", null);
    assertThat(metrics.body())
        .contains("zgres_gateway_connections")
        .contains("zgres_gateway_kafka_to_socket_seconds");
  }
}
