package dev.zgres.cli;

import dev.zgres.consumers.ai.AiWorkerSettings;
import dev.zgres.consumers.consume.ConsumerSettings;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.consumers.moderation.Moderator;
import dev.zgres.consumers.moderation.ModeratorConfig;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "moderator",
    mixinStandardHelpOptions = true,
    description =
        "Judge chat messages (spam, scam, phishing, harassment, threat, hate) and flag unsafe"
            + " ones; consumer group zgres-moderation. Runs until SIGTERM.")
final class ModeratorCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      Stream.of(CommonSettings.ALL, ConsumerSettings.ALL, List.of(AiWorkerSettings.CHAT_TOPIC))
          .flatMap(List::stream)
          .toList();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ModeratorConfig config =
        ModeratorConfig.from(SettingOptions.values(spec, SETTINGS, System.getenv()));
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    return UntilSignalled.run(Moderator.start(config, embedder, embedder.loadTime()));
  }
}
