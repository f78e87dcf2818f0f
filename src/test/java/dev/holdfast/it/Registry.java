package dev.holdfast.it;

import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A private CNCF Distribution registry ({@code docker-registry serve}) on a free loopback port,
 * storing in a temp directory, without auth. Both engines run on this host and treat 127.0.0.0/8
 * registries as insecure by default, so plain HTTP works without engine configuration. Images are
 * tagged and pushed from one engine ({@link #engine}).
 */
final class Registry implements AutoCloseable {

  private static final Duration START_WAIT = Duration.ofSeconds(30);
  private final Path config;
  private String baseConfig;
  private final Path dir;

  /** The engine that tags and pushes (and whose local tags {@link #publish} restores). */
  private final Docker engine;

  /** The Docker client config pushes log in with; null: pushes go without a login. */
  private Path pushConfig;

  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().build();
  private final Set<String> tagged = new LinkedHashSet<>();
  private Process process;

  /** A registry whose images are pushed from the engine the tests' holdfast manages. */
  Registry(Path dir) {
    this(dir, Docker.local());
  }

  Registry(Path dir, Docker engine) {
    this.dir = dir;
    this.engine = engine;
    this.port = Ports.free();
    this.config = dir.resolve("config.yml");
    this.log = dir.resolve("registry.log");
    this.baseConfig =
        String.join(
            "\n",
            "version: 0.1",
            "log:",
            "  level: warn",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            "    rootdirectory: " + dir.resolve("data"),
            "  delete:",
            "    enabled: true",
            "http:",
            "  addr: 127.0.0.1:" + port,
            "");
    try {
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(config, baseConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the registry require a login (htpasswd, bcrypt: the only hash Distribution accepts) for
   * every call, from the next {@link #start()} on; pushes then log in first, with a Docker client
   * config of their own in this registry's directory (never the machine's {@code ~/.docker}).
   *
   * @return that client config's directory: after the first push its {@code config.json} holds the
   *     login, as {@code docker login} writes it
   */
  Path requireLogin(String user, String password) {
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    String hash =
        org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate(
            "2a", password.toCharArray(), salt, 6);
    Path htpasswd = dir.resolve("htpasswd");
    pushConfig = dir.resolve("push-docker-config");
    baseConfig +=
        String.join(
            "\n", "auth:", "  htpasswd:", "    realm: holdfast-test", "    path: " + htpasswd, "");
    try {
      Files.createDirectories(pushConfig);
      Files.writeString(htpasswd, user + ":" + hash + "\n");
      Files.writeString(config, baseConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    loginUser = user;
    loginPassword = password;
    return pushConfig;
  }

  private String loginUser;
  private String loginPassword;

  /** A notification endpoint: holdfast's hook URL and the bearer token it expects. */
  record Endpoint(String url, String token) {}

  /**
   * Points the registry's notifications at a URL with a bearer token (takes effect at the next
   * {@link #start()}). Blob events are filtered out by media type, as the README recommends; the
   * rest (pulls, mounts, deletes, untagged manifests) reach holdfast, which must ignore them.
   */
  void notifyTo(String url, String token) {
    notifyTo(List.of(new Endpoint(url, token)));
  }

  /**
   * Points the registry's notifications at each endpoint (e.g. two holdfast instances, each told of
   * every push), replacing any set before; none: no notifications. Takes effect at the next {@link
   * #start()}.
   */
  void notifyTo(List<Endpoint> endpoints) {
    StringBuilder yml = new StringBuilder(baseConfig);
    if (!endpoints.isEmpty()) {
      yml.append("notifications:\n  endpoints:\n");
    }
    int n = 0;
    for (Endpoint e : endpoints) {
      n++;
      yml.append(
          String.join(
              "\n",
              "    - name: holdfast" + (n == 1 ? "" : String.valueOf(n)),
              "      url: " + e.url(),
              "      headers:",
              "        Authorization: [Bearer " + e.token() + "]",
              "      timeout: 2s",
              "      threshold: 5",
              "      backoff: 1s",
              "      ignoredmediatypes:",
              "        - application/octet-stream",
              ""));
    }
    try {
      Files.writeString(config, yml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port, the prefix of every reference pushed here. */
  String host() {
    return "127.0.0.1:" + port;
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start docker-registry (is it installed?): " + e, e);
    }
    Instant deadline = Instant.now().plus(START_WAIT);
    while (!answers()) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited at start; log " + log + ": " + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("docker-registry did not answer within " + START_WAIT);
      }
      pause(100);
    }
    if (pushConfig != null) {
      login();
    }
  }

  /** With {@link #requireLogin}: {@code docker login} into the pushes' own client config. */
  private void login() {
    Cmd.Result r =
        engine.run(
            "--config",
            pushConfig.toString(),
            "login",
            "--username",
            loginUser,
            "--password",
            loginPassword,
            host());
    if (!r.ok()) {
      throw new AssertionError("docker login " + host() + " failed: " + r.describe());
    }
  }

  /** Stops the registry process; data stays for a later {@link #start()} on the same port. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Whether the registry answers at all (401 to a registry that requires a login counts). */
  boolean answers() {
    if (pushConfig == null) {
      return HoldfastClient.answers(http, URI.create("http://" + host() + "/v2/"));
    }
    try {
      return http.send(
                  java.net.http.HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 401;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Pushes a local image as {@code host/repoTag}; returns that reference. */
  String push(String localImage, String repoTag) {
    String ref = host() + "/" + repoTag;
    tagged.add(ref);
    engine.ok("tag", localImage, ref);
    Cmd.Result r =
        pushConfig == null
            ? engine.run(Duration.ofMinutes(2), "push", ref)
            : engine.run(Duration.ofMinutes(2), "--config", pushConfig.toString(), "push", ref);
    if (!r.ok()) {
      throw new AssertionError("docker push " + ref + " failed: " + r.describe());
    }
    return ref;
  }

  /**
   * Pushes a local image under a reference as another machine would: afterwards the registry serves
   * it, but the local tag points where it pointed before, so holdfast has to really pull.
   */
  String publish(String localImage, String repoTag) {
    String ref = host() + "/" + repoTag;
    Cmd.Result before = engine.run("image", "inspect", "-f", "{{.Id}}", ref);
    push(localImage, repoTag);
    if (before.ok()) {
      engine.ok("tag", before.out().strip(), ref);
    } else {
      engine.ok("image", "rm", ref);
    }
    return ref;
  }

  /** Stops the registry and drops the local tags of its references (the images stay). */
  @Override
  public void close() {
    stop();
    List<String> refs = new ArrayList<>(tagged);
    String digests =
        engine.run("images", "--digests", "--format", "{{.Repository}}@{{.Digest}}").out();
    for (String ref : digests.split("\\s+")) {
      if (ref.startsWith(host() + "/") && !ref.endsWith("@<none>")) {
        refs.add(ref); // repo@digest entries that pushes and pulls recorded
      }
    }
    for (String ref : refs) {
      engine.run("image", "rm", "--no-prune", ref);
    }
  }

  private String tail() {
    try {
      String s = Files.readString(log);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
