package dev.holdfast.docker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which login a pull from a registry uses, asked for at every pull (a file replaced or a helper
 * logged in again is seen at once). First the logins of holdfast's own settings ({@code
 * HOLDFAST_REGISTRY_AUTH}), then its login file ({@code HOLDFAST_REGISTRY_AUTH_FILE}), then the
 * Docker client's {@code config.json} ({@code HOLDFAST_DOCKER_CONFIG}); none: the pull goes
 * without. Nothing here logs, and no message carries a secret.
 */
public final class RegistryCredentials {

  /** No credentials at all: every pull is anonymous. */
  public static final RegistryCredentials NONE =
      new RegistryCredentials(
          Map.of(), Optional.empty(), Optional.empty(), CredentialHelpers.onPath());

  /**
   * A login found for a registry.
   *
   * @param host the registry host (normalized)
   * @param source where it came from, for messages: a setting, a file, a helper
   */
  public record Found(String host, RegistryLogin login, String source) {

    /** The {@code X-Registry-Auth} header value for this registry. */
    public String header() {
      return login.header(RegistryHosts.serverAddress(host));
    }

    @Override
    public String toString() {
      return "Found[" + host + " from " + source + ", " + login + "]";
    }
  }

  private static final String SETTING = "HOLDFAST_REGISTRY_AUTH";

  private final Map<String, RegistryLogin> logins;
  private final Optional<Path> loginFile;
  private final Optional<Path> dockerConfig;
  private final CredentialHelpers helpers;

  /**
   * @param logins per host (normalized), from the settings
   * @param loginFile a file of {@code host=user:password} lines, read at each lookup
   * @param dockerConfig a {@code config.json}, or the directory holding one
   */
  public RegistryCredentials(
      Map<String, RegistryLogin> logins,
      Optional<Path> loginFile,
      Optional<Path> dockerConfig,
      CredentialHelpers helpers) {
    this.logins = Map.copyOf(logins);
    this.loginFile = loginFile;
    this.dockerConfig = dockerConfig;
    this.helpers = helpers;
  }

  /** The login for the registry of an image reference; empty: pull without credentials. */
  public Optional<Found> forImage(String ref) {
    return forHost(RegistryHosts.ofImage(ref));
  }

  /**
   * The login for a registry host; empty when no source has one.
   *
   * @throws CredentialsException when a source that may hold it cannot be read or run
   */
  public Optional<Found> forHost(String registryHost) {
    String host = RegistryHosts.normalize(registryHost);
    RegistryLogin own = logins.get(host);
    if (own != null) {
      return Optional.of(new Found(host, own, SETTING));
    }
    if (loginFile.isPresent()) {
      RegistryLogin fromFile = readLoginFile(loginFile.get()).get(host);
      if (fromFile != null) {
        return Optional.of(new Found(host, fromFile, loginFile.get().toString()));
      }
    }
    return configFile().flatMap(DockerConfigFile::read).flatMap(c -> c.find(host, helpers));
  }

  /** The {@code config.json} looked at: the file given, or {@code config.json} in the dir. */
  public Optional<Path> configFile() {
    return dockerConfig.map(p -> Files.isDirectory(p) ? p.resolve("config.json") : p);
  }

  private static Map<String, RegistryLogin> readLoginFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CredentialsException("registry login file " + file + " does not exist");
    } catch (IOException e) {
      throw new CredentialsException("cannot read registry login file " + file + ": " + e);
    }
    try {
      return LoginList.parseLines("registry login file " + file, text);
    } catch (IllegalArgumentException e) {
      throw new CredentialsException(e.getMessage());
    }
  }

  /** Where logins would come from, for a message about a registry that refused a pull. */
  public String sources() {
    List<String> out = new ArrayList<>();
    if (!logins.isEmpty()) {
      out.add(SETTING);
    }
    loginFile.ifPresent(f -> out.add(f.toString()));
    configFile().ifPresent(f -> out.add(f + (Files.exists(f) ? "" : " (absent)")));
    return out.isEmpty() ? "no credentials are configured" : "looked in " + String.join(", ", out);
  }

  /**
   * What is configured, one line per source, for the start-up log: hosts and helper names, never a
   * secret; a source that cannot be read says why.
   */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    if (!logins.isEmpty()) {
      out.add(SETTING + ": " + new TreeSet<>(logins.keySet()));
    }
    loginFile.ifPresent(
        f -> {
          try {
            out.add(f + ": " + new TreeSet<>(readLoginFile(f).keySet()));
          } catch (CredentialsException e) {
            out.add("unusable: " + e.getMessage());
          }
        });
    configFile()
        .ifPresent(
            f -> {
              try {
                out.add(
                    DockerConfigFile.read(f)
                        .map(c -> f + ": " + c.hosts() + storeNote(c))
                        .orElse(f + ": absent, pulls go without its credentials"));
              } catch (CredentialsException e) {
                out.add("unusable: " + e.getMessage());
              }
            });
    return out;
  }

  private static String storeNote(DockerConfigFile c) {
    return c.store().isEmpty() ? "" : " (credsStore " + CredentialHelpers.program(c.store()) + ")";
  }

  /** The sources, never what they hold (and without reading them). */
  @Override
  public String toString() {
    return "RegistryCredentials[" + new TreeSet<>(logins.keySet()) + ", " + sources() + "]";
  }
}
