package dev.zgres.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed, for {@code localhost} and
 * {@code 127.0.0.1}, generated with the JDK's {@code keytool}: as PEM files for PostgreSQL and
 * pgjdbc ({@code sslrootcert}), and as PKCS12 stores for Kafka and its clients.
 *
 * @param caPem the CA's certificate (PEM): what clients trust
 * @param serverCertPem the server's certificate (PEM)
 * @param serverKeyPem the server's private key (unencrypted PKCS#8 PEM, mode 0600)
 * @param serverKeystore the server's key and certificate chain (PKCS12)
 * @param truststore the CA's certificate (PKCS12)
 * @param storePassword the password of both stores
 */
public record TestCertificates(
    Path caPem,
    Path serverCertPem,
    Path serverKeyPem,
    Path serverKeystore,
    Path truststore,
    String storePassword) {

  /** Generates everything in a new temporary directory. */
  public static TestCertificates generate() {
    try {
      Path dir = Files.createTempDirectory("zgres-tls-");
      String pw = "store-" + UUID.randomUUID();
      Path ca = dir.resolve("ca.p12");
      Path caPem = dir.resolve("ca.pem");
      Path server = dir.resolve("server.p12");
      Path csr = dir.resolve("server.csr");
      Path serverPem = dir.resolve("server.crt");
      Path keyPem = dir.resolve("server.key");
      Path trust = dir.resolve("truststore.p12");
      keytool(
          "-genkeypair",
          "-alias",
          "ca",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=zgres test CA",
          "-ext",
          "bc:c",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          ca.toString(),
          "-storepass",
          pw,
          "-keypass",
          pw);
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          pw,
          "-file",
          caPem.toString());
      keytool(
          "-genkeypair",
          "-alias",
          "server",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=localhost",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          server.toString(),
          "-storepass",
          pw,
          "-keypass",
          pw);
      keytool(
          "-certreq",
          "-alias",
          "server",
          "-keystore",
          server.toString(),
          "-storepass",
          pw,
          "-file",
          csr.toString());
      keytool(
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          pw,
          "-infile",
          csr.toString(),
          "-outfile",
          serverPem.toString(),
          "-validity",
          "2",
          "-ext",
          "san=dns:localhost,ip:127.0.0.1",
          "-ext",
          "eku=serverAuth");
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "ca",
          "-file",
          caPem.toString(),
          "-keystore",
          server.toString(),
          "-storepass",
          pw);
      keytool(
          "-importcert",
          "-alias",
          "server",
          "-file",
          serverPem.toString(),
          "-keystore",
          server.toString(),
          "-storepass",
          pw);
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "ca",
          "-file",
          caPem.toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          trust.toString(),
          "-storepass",
          pw);
      writePrivateKey(server, pw, keyPem);
      return new TestCertificates(caPem, serverPem, keyPem, server, trust, pw);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate test certificates", e);
    }
  }

  private static void writePrivateKey(Path keystore, String pw, Path pem)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, pw.toCharArray());
    }
    Key key = store.getKey("server", pw.toCharArray());
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    Files.writeString(
        pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }
}
