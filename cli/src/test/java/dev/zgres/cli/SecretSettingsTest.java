package dev.zgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zgres.bridge.config.BridgeConfig;
import dev.zgres.bridge.config.BridgeSettings;
import dev.zgres.runtime.settings.PgEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Secrets reach the bridge from files, by flag or variable, and are never shown. */
class SecretSettingsTest {

  private static BridgeConfig bridgeConfig(Map<String, String> env, String... args) {
    CommandLine cli = ZgresMain.commandLine();
    String[] command = new String[args.length + 1];
    command[0] = "bridge";
    System.arraycopy(args, 0, command, 1, args.length);
    cli.parseArgs(command);
    CommandLine bridge = cli.getSubcommands().get("bridge");
    return BridgeConfig.from(
        SettingOptions.values(bridge.getCommandSpec(), BridgeSettings.ALL, env));
  }

  @Test
  void passwordFileFlagOverridesTheVariableAndIsRead() throws Exception {
    Path file = Files.writeString(Files.createTempFile("pg", ".secret"), "from-flag-file\n");
    Path other = Files.writeString(Files.createTempFile("pg", ".secret"), "from-env-file\n");
    BridgeConfig config =
        bridgeConfig(
            Map.of("ZGRES_PG_PASSWORD_FILE", other.toString()),
            "--pg-password-file",
            file.toString());
    assertThat(config.postgres().password()).isEqualTo("from-flag-file");
  }

  @Test
  void producerPropertiesFileTakesOneSettingPerLineWithCommasInValues() throws Exception {
    Path file =
        Files.writeString(
            Files.createTempFile("producer", ".properties"),
            "# Kafka over SASL_SSL\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.jaas.config=x required username=\"u\" password=\"a,b=c\";\n");
    BridgeConfig config = bridgeConfig(Map.of("ZGRES_PRODUCER_PROPERTIES_FILE", file.toString()));
    assertThat(config.producerProperties())
        .containsExactly(
            Map.entry("security.protocol", "SASL_SSL"),
            Map.entry("sasl.jaas.config", "x required username=\"u\" password=\"a,b=c\";"));
  }

  @Test
  void anEndpointNeverShowsAPasswordGivenInItsUrl() {
    PgEndpoint endpoint =
        new PgEndpoint(
            "jdbc:postgresql://db/app?sslmode=verify-full&password=hunter2&sslpassword=k3y",
            "app",
            "hunter3");
    assertThat(endpoint.toString())
        .doesNotContain("hunter2")
        .doesNotContain("hunter3")
        .doesNotContain("k3y")
        .contains("sslmode=verify-full&password=***&sslpassword=***");
  }
}
