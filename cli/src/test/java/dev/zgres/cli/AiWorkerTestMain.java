package dev.zgres.cli;

import dev.zgres.consumers.ai.AiWorker;
import dev.zgres.consumers.ai.AiWorkerConfig;
import dev.zgres.consumers.embed.OnnxTextEmbedder;

/** An AI worker in a child JVM, configured from its environment, until it is killed. */
public final class AiWorkerTestMain {
  private AiWorkerTestMain() {}

  public static void main(String[] args) throws InterruptedException {
    AiWorkerConfig config = AiWorkerConfig.from(System.getenv());
    OnnxTextEmbedder embedder = OnnxTextEmbedder.load();
    AiWorker.start(config, embedder, embedder.loadTime());
    System.out.println("ai worker running");
    Thread.currentThread().join();
  }
}
