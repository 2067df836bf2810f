package dev.zgres.cli;

/**
 * {@code bin/zgres bridge} as a child process of a test: the launcher itself, settings from env.
 */
public final class SecureBridgeMain {
  private SecureBridgeMain() {}

  public static void main(String[] args) {
    ZgresMain.main(new String[] {"bridge"});
  }
}
