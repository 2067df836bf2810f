package dev.zgres.cli;

import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.consumers.ai.AiWorkerSettings;
import dev.zgres.consumers.consume.ConsumerSettings;
import dev.zgres.consumers.embed.OnnxTextEmbedder;
import dev.zgres.runtime.settings.CommonSettings;
import dev.zgres.runtime.settings.Setting;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ai-worker",
    mixinStandardHelpOptions = true,
    description =
        "Analyse chat messages (embeddings, sentiment, importance), answer @ai questions, keep"
            + " summaries and reply suggestions; consumer group zgres-ai. Runs until SIGTERM.")
final class AiWorkerCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      Stream.of(CommonSettings.ALL, ConsumerSettings.ALL, AiWorkerSettings.ALL)
          .flatMap(List::stream)
          .toList();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    AiWorkerConfig config =
        AiWorkerConfig.from(SettingOptions.values(spec, SETTINGS, System.getenv()));
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    return UntilSignalled.run(AiWorker.start(config, embedder, embedder.loadTime()));
  }
}
