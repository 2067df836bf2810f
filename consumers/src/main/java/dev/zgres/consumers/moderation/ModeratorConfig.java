package dev.zgres.consumers.moderation;

import dev.zgres.consumers.ai.AiWorkerSettings;
import dev.zgres.consumers.consume.LoopConfig;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import dev.zgres.runtime.settings.SettingValues;
import java.util.List;
import java.util.Map;

/** The moderator's configuration (common and consumer-loop settings), validated up front. */
public record ModeratorConfig(PgEndpoint postgres, LoopConfig loop, int metricsPort) {
  /** The consumer group of every moderator. */
  public static final String GROUP = "zgres-moderation";

  public static ModeratorConfig from(Map<String, String> env) {
    SettingValues values = new SettingValues(env);
    PgEndpoint postgres = CommonSettings.postgres(values);
    LoopConfig loop =
        LoopConfig.from(values, GROUP, List.of(values.string(AiWorkerSettings.CHAT_TOPIC)));
    int port = values.integer(CommonSettings.METRICS_PORT);
    values.throwIfInvalid();
    return new ModeratorConfig(postgres, loop, port);
  }
}
