package dev.zgres.bench.scenario;

import dev.zgres.bench.measure.LatencySummary;
import dev.zgres.bench.result.DeliveryStats;
import dev.zgres.bench.result.PhaseResult;
import dev.zgres.bench.result.ScenarioResult;
import dev.zgres.bench.servers.BenchServers;
import dev.zgres.bench.workload.WriterStats;
import dev.zgres.bridge.Bridge;
import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The AI worker's cell: one worker instance (with the bridge in this JVM) against the bench's
 * servers. Phase {@code backlog}: N chat messages are written first, then the worker starts and
 * analyses them all (embedding, sentiment, importance stored): recv/s is messages analysed per
 * second by that one instance, from its first analysed message to its last (joining the group is
 * left out). Phase {@code questions}: {@code @ai} questions one at a time; latency is a question's
 * commit to its reply in the database (PostgreSQL, bridge, Kafka, worker, offline responder,
 * PostgreSQL).
 */
final class AiScenario {
  static final String ID = "ai";
  static final String WHAT =
      "AI worker, one instance: messages analysed/s from a backlog (recv/s), and @ai question to reply (latency)";
  private static final String[] LINES = {
    "deploy finished without errors", "the dashboard looks slow today", "lunch at noon?",
    "great work on the fix", "I can't log in to staging", "meeting moved to 3pm",
    "this test is flaky again", "thanks for the review", "the backup ran fine overnight",
    "who owns the billing service"
  };

  private AiScenario() {}

  static ScenarioResult run(BenchPlan plan, BenchServers servers, Progress progress)
      throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String topic = "bench_ai_" + run;
    servers.ensureTopic(topic, 1);
    int messages = plan.quick() ? 300 : 2000;
    int questions = plan.quick() ? 10 : 40;
    Map<String, String> common =
        Map.of(
            "ZGRES_PG_URL", servers.pgUrl(),
            "ZGRES_PG_USER", servers.pgUser(),
            "ZGRES_PG_PASSWORD", servers.pgPassword(),
            "ZGRES_KAFKA_BOOTSTRAP", servers.kafkaBootstrap(),
            "ZGRES_METRICS_PORT", "0");
    Map<String, String> bridgeSettings = new java.util.HashMap<>(common);
    bridgeSettings.put("ZGRES_CHANNELS", "chat_message_*");
    bridgeSettings.put("ZGRES_ROUTES", "chat_message_*=" + topic + "|{*}");
    Map<String, String> workerSettings = new java.util.HashMap<>(common);
    workerSettings.put("ZGRES_CHAT_TOPIC", topic);
    workerSettings.put("ZGRES_AI_WORKER_ID", "bench-" + run);
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    progress.note(ID + ": model loaded in " + embedder.loadTime().toMillis() + " ms");
    try (Bridge bridge = Bridge.start(BridgeConfig.from(bridgeSettings));
        Connection c = servers.connect("zgres-bench-ai")) {
      int user =
          (int)
              value(
                  c,
                  "SELECT chat.register_user(?, 'bench password 1', ?)",
                  "b" + run,
                  run + "@example.org");
      int channel =
          (int) value(c, "SELECT chat.create_channel(?, ?, 'public', NULL)", user, "bench-" + run);
      Histogram commits = new Histogram(3);
      long start = System.nanoTime();
      long firstId = 0;
      for (int i = 0; i < messages; i++) {
        long t = System.nanoTime();
        long id =
            value(
                c,
                "SELECT chat.post_message(?, ?, ?)",
                user,
                channel,
                LINES[i % LINES.length] + " " + i);
        commits.recordValue(System.nanoTime() - t);
        firstId = i == 0 ? id : firstId;
      }
      WriterStats written =
          new WriterStats(
              messages, (System.nanoTime() - start) / 1e9, LatencySummary.of(commits), 0, start);
      PhaseResult backlog;
      PhaseResult asked;
      try (AiWorker worker =
          AiWorker.start(AiWorkerConfig.from(workerSettings), embedder, embedder.loadTime())) {
        long workerStart = System.nanoTime();
        long deadline =
            workerStart + plan.drainTimeout().toNanos() + Duration.ofMinutes(2).toNanos();
        long analysed = 0;
        long lastChange = workerStart;
        // Timed from the first analysed message, so that joining the consumer group is left out.
        long firstChange = 0;
        long firstCount = 0;
        while (analysed < messages && System.nanoTime() < deadline) {
          Thread.sleep(100);
          long now =
              value(
                  c,
                  "SELECT count(*) FROM chat.messages WHERE channel_id = ? AND embedding IS NOT NULL",
                  channel);
          if (now != analysed) {
            lastChange = System.nanoTime();
            if (firstChange == 0) {
              firstChange = lastChange;
              firstCount = now;
            }
            analysed = now;
          }
        }
        double seconds = (lastChange - firstChange) / 1e9;
        backlog =
            new PhaseResult(
                ID,
                1,
                "backlog",
                0,
                written,
                new DeliveryStats(
                    analysed,
                    messages - analysed,
                    0,
                    seconds <= 0 ? 0 : (analysed - firstCount) / seconds,
                    LatencySummary.EMPTY,
                    LatencySummary.EMPTY,
                    LatencySummary.EMPTY),
                null,
                null,
                "");
        progress.phaseDone(backlog);

        Histogram replies = new Histogram(3);
        Histogram askCommits = new Histogram(3);
        long askStart = System.nanoTime();
        long answered = 0;
        for (int i = 0; i < questions; i++) {
          long t = System.nanoTime();
          long q =
              value(
                  c,
                  "SELECT chat.post_message(?, ?, ?)",
                  user,
                  channel,
                  "@ai who owns the billing service (" + i + ")?");
          askCommits.recordValue(System.nanoTime() - t);
          long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (System.nanoTime() < until) {
            if (value(
                    c,
                    "SELECT count(*) FROM chat.messages WHERE message_type = 'ai_suggestion' "
                        + "AND (metadata->>'in_reply_to')::bigint = ?",
                    q)
                > 0) {
              replies.recordValue(System.nanoTime() - t);
              answered++;
              break;
            }
            Thread.sleep(5);
          }
        }
        double askSeconds = (System.nanoTime() - askStart) / 1e9;
        asked =
            new PhaseResult(
                ID,
                1,
                "questions",
                0,
                new WriterStats(questions, askSeconds, LatencySummary.of(askCommits), 0, askStart),
                new DeliveryStats(
                    answered,
                    questions - answered,
                    0,
                    answered / askSeconds,
                    LatencySummary.of(replies),
                    LatencySummary.EMPTY,
                    LatencySummary.EMPTY),
                null,
                null,
                "");
        progress.phaseDone(asked);
      }
      return new ScenarioResult(ID, WHAT, java.util.List.of(backlog, asked));
    }
  }

  private static long value(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
