package dev.holdfast.docker.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs Docker credential helpers, {@code docker-credential-<name> get}, with the protocol of
 * docker-credential-helpers: the server address on stdin, {@code {"Username","Secret"}} on stdout,
 * a non-zero exit with {@code credentials not found} when the helper has none for that server. The
 * helpers are the ones the operator's {@code config.json} names; they are found on the {@code PATH}
 * (or in one directory, for tests).
 */
public final class CredentialHelpers {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> dir;
  private final Duration timeout;

  private CredentialHelpers(Optional<Path> dir, Duration timeout) {
    this.dir = dir;
    this.timeout = timeout;
  }

  /** Helpers found on the {@code PATH}, as the Docker CLI finds them. */
  public static CredentialHelpers onPath() {
    return new CredentialHelpers(Optional.empty(), TIMEOUT);
  }

  /** Helpers found in one directory only. */
  public static CredentialHelpers in(Path dir, Duration timeout) {
    return new CredentialHelpers(Optional.of(dir), timeout);
  }

  /** The program a helper name runs. */
  static String program(String name) {
    return "docker-credential-" + name;
  }

  /**
   * The helper's login for a registry, or empty when it has none.
   *
   * @param host the registry, as error messages name it
   * @param origin where the helper is named, e.g. {@code credHelpers in /etc/docker/config.json}
   */
  Optional<RegistryLogin> get(String name, String host, String origin) {
    String program = program(name);
    if (!NAME.matcher(name).matches()) {
      throw new CredentialsException(
          origin + " names a credential helper for " + host + " that is not a helper name");
    }
    String command = dir.map(d -> d.resolve(program).toString()).orElse(program);
    Process p;
    try {
      p = new ProcessBuilder(List.of(command, "get")).start();
    } catch (IOException e) {
      throw new CredentialsException(
          "credential helper "
              + program
              + " for "
              + host
              + " is not installed (named by "
              + origin
              + "; it must be on holdfast's PATH)");
    }
    try {
      CompletableFuture<byte[]> out = readAsync(p.getInputStream());
      CompletableFuture<byte[]> err = readAsync(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(RegistryHosts.serverAddress(host).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // a helper that exits without reading: its exit code tells
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new CredentialsException(
            "credential helper " + program + " for " + host + " did not answer within " + timeout);
      }
      String stdout = new String(out.join(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        String said = stdout.isEmpty() ? new String(err.join(), StandardCharsets.UTF_8) : stdout;
        if (said.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new CredentialsException(
            "credential helper "
                + program
                + " for "
                + host
                + " failed (exit "
                + p.exitValue()
                + "): "
                + firstLine(said));
      }
      return Optional.of(parse(stdout, program, host));
    } catch (java.util.concurrent.CompletionException e) {
      throw new CredentialsException(
          "reading the answer of " + program + " for " + host + " failed: " + e.getCause());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CredentialsException("interrupted while asking " + program + " for " + host);
    }
  }

  private static RegistryLogin parse(String stdout, String program, String host) {
    JsonNode n;
    try {
      n = JSON.readTree(stdout);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || !n.path("Secret").isTextual() || n.path("Secret").asText().isEmpty()) {
      // its output is not shown: it may hold the secret
      throw new CredentialsException(
          "credential helper " + program + " for " + host + " answered no Username and Secret");
    }
    return RegistryLogin.of(n.path("Username").asText(""), n.path("Secret").asText());
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("(no output)");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** On a thread of its own: the common pool may have one thread, and both streams block. */
  private static CompletableFuture<byte[]> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return in.readNBytes(1 << 20);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        r -> {
          Thread t = new Thread(r, "credential-helper-output");
          t.setDaemon(true);
          t.start();
        });
  }
}
