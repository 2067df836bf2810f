package dev.zgres.bench.child;

import dev.zgres.embedded.EmbeddedKafkaBroker;
import java.io.IOException;

/**
 * The embedded Kafka broker in a JVM of its own, so that its threads, allocation and garbage
 * collection stay out of the JVM whose clock measures the latencies (writers and receivers). Prints
 * {@value #READY} with the bootstrap address on stdout, or {@value #FAILED} with the reason, and
 * runs until its stdin closes.
 */
public final class BrokerChildMain {
  static final String READY = "READY";
  static final String FAILED = "FAILED";

  private BrokerChildMain() {}

  public static void main(String[] args) {
    EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.launch();
    } catch (RuntimeException e) {
      System.out.println(FAILED + " " + e.toString().replace('\n', ' '));
      System.out.flush();
      System.exit(2);
      return;
    }
    System.out.println(READY + " " + broker.bootstrapServers());
    System.out.flush();
    byte[] buffer = new byte[256];
    try {
      while (System.in.read(buffer) >= 0) {
        // The parent writes nothing; end of input means it wants us gone (or has died).
      }
    } catch (IOException e) {
      // The pipe broke: the parent is gone.
    }
    broker.close();
    System.exit(0);
  }
}
