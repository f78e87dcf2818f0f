package dev.holdfast.app;

import dev.holdfast.probe.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's configuration, from environment variables (flags of {@code serve} override them).
 * Every key is listed in {@link #KEYS} with its default; the README table is checked against it.
 */
public record Config(
    String dockerHost,
    String listenHost,
    int listenPort,
    String apiToken,
    boolean insecureNoAuth,
    Path dataDir,
    Duration reconcileInterval,
    Duration settle,
    Duration gatePoll,
    int retryAttempts,
    Duration retryInitial,
    Duration retryMax,
    Map<String, String> hookSecrets,
    Map<String, String> hookHosts,
    int hookRate,
    Duration hookDedupeWindow,
    Duration stopTimeout,
    String testCrashAt) {

  /** Prefix of per-sender hook secrets, e.g. HOLDFAST_HOOK_SECRET_GITHUB. */
  static final String SECRET_PREFIX = "HOLDFAST_HOOK_SECRET_";

  /** Prefix of per-sender registry hosts, e.g. HOLDFAST_HOOK_HOST_JFROG. */
  static final String HOST_PREFIX = "HOLDFAST_HOOK_HOST_";

  /** Secrets never reach logs, not even through a record's generated toString. */
  @Override
  public String toString() {
    return "Config[dockerHost="
        + dockerHost
        + ", listen="
        + listenHost
        + ":"
        + listenPort
        + ", apiToken="
        + (apiToken == null ? "none" : "set")
        + ", hookSecrets="
        + hookSecrets.keySet()
        + ", dataDir="
        + dataDir
        + "]";
  }

  /**
   * The secret a hook sender must present: its own, else the shared hook secret; Watchtower's
   * notifications fall back to the API token, which Watchtower's own API uses too.
   */
  public java.util.Optional<String> hookSecret(String sender) {
    String own = hookSecrets.get(sender);
    if (own != null) {
      return java.util.Optional.of(own);
    }
    String shared = hookSecrets.get("");
    if (shared != null) {
      return java.util.Optional.of(shared);
    }
    return sender.equals("watchtower")
        ? java.util.Optional.ofNullable(apiToken)
        : java.util.Optional.empty();
  }

  /** Key, default, meaning: the source of the README configuration table. */
  public static final List<List<String>> KEYS =
      List.of(
          List.of(
              "HOLDFAST_DOCKER_HOST",
              "unix:///var/run/docker.sock",
              "Docker engine to manage (DOCKER_HOST is used when this is unset)"),
          List.of("HOLDFAST_LISTEN", "127.0.0.1:8080", "address and port of the HTTP API"),
          List.of(
              "HOLDFAST_API_TOKEN",
              "(none)",
              "bearer token for /api; without it mutating endpoints are off"),
          List.of(
              "HOLDFAST_INSECURE_NO_AUTH",
              "false",
              "allow mutating endpoints without a token; only on a loopback listener"),
          List.of("HOLDFAST_DATA_DIR", "./holdfast-data", "directory for holdfast's store"),
          List.of(
              "HOLDFAST_RECONCILE_INTERVAL",
              "30s",
              "how often groups are checked for stale members; also the longest a heal waits for"
                  + " another tool (Compose) to finish replacing a holder"),
          List.of(
              "HOLDFAST_SETTLE",
              "1s",
              "how long a group must be free of other clients' container events (Compose"
                  + " recreating, someone stopping a member) before a heal starts"),
          List.of("HOLDFAST_GATE_POLL", "100ms", "how often the health gate looks at a member"),
          List.of(
              "HOLDFAST_RETRY_ATTEMPTS", "9", "attempts of an engine call that fails transiently"),
          List.of(
              "HOLDFAST_RETRY_INITIAL",
              "250ms",
              "first backoff between attempts (doubles each time)"),
          List.of("HOLDFAST_RETRY_MAX", "5s", "longest backoff between attempts"),
          List.of(
              "HOLDFAST_HOOK_SECRET",
              "(none)",
              "secret every hook sender must present unless it has its own; without any, hooks"
                  + " answer 401"),
          List.of(
              "HOLDFAST_HOOK_SECRET_<SENDER>",
              "(none)",
              "a sender's own secret: WATCHTOWER (else the API token), DISTRIBUTION, DOCKERHUB,"
                  + " HARBOR, QUAY, GITHUB, GITEA, ACR, JFROG, GAR"),
          List.of(
              "HOLDFAST_HOOK_HOST_<SENDER>",
              "(none)",
              "registry host for senders whose payload names none (JFROG)"),
          List.of("HOLDFAST_HOOK_RATE", "200", "hook and /v1 requests per second per client"),
          List.of(
              "HOLDFAST_HOOK_DEDUPE_WINDOW",
              "10m",
              "how long a delivery id or a pushed digest acts only once"),
          List.of(
              "HOLDFAST_STOP_TIMEOUT",
              "8s",
              "on SIGTERM, how long the current step may take before holdfast exits anyway"),
          List.of(
              "HOLDFAST_TEST_CRASH_AT",
              "(none)",
              "tests only: `update:N` or `heal:N` kills the process after N steps of such a run"));

  public static Config from(Map<String, String> env) {
    Map<String, String> v = new LinkedHashMap<>();
    for (List<String> key : KEYS) {
      if (key.get(0).endsWith(">")) {
        continue; // a family of keys, read below
      }
      String value = env.get(key.get(0));
      v.put(key.get(0), value == null || value.isBlank() ? key.get(1) : value.trim());
    }
    if (env.get("HOLDFAST_DOCKER_HOST") == null && env.get("DOCKER_HOST") != null) {
      v.put("HOLDFAST_DOCKER_HOST", env.get("DOCKER_HOST"));
    }
    String token =
        v.get("HOLDFAST_API_TOKEN").equals("(none)") ? null : v.get("HOLDFAST_API_TOKEN");
    String[] listen = listen(v.get("HOLDFAST_LISTEN"));
    return new Config(
        v.get("HOLDFAST_DOCKER_HOST"),
        listen[0],
        Integer.parseInt(listen[1]),
        token,
        bool("HOLDFAST_INSECURE_NO_AUTH", v.get("HOLDFAST_INSECURE_NO_AUTH")),
        Path.of(v.get("HOLDFAST_DATA_DIR")),
        duration("HOLDFAST_RECONCILE_INTERVAL", v.get("HOLDFAST_RECONCILE_INTERVAL")),
        duration("HOLDFAST_SETTLE", v.get("HOLDFAST_SETTLE")),
        duration("HOLDFAST_GATE_POLL", v.get("HOLDFAST_GATE_POLL")),
        integer("HOLDFAST_RETRY_ATTEMPTS", v.get("HOLDFAST_RETRY_ATTEMPTS"), 1, 100),
        duration("HOLDFAST_RETRY_INITIAL", v.get("HOLDFAST_RETRY_INITIAL")),
        duration("HOLDFAST_RETRY_MAX", v.get("HOLDFAST_RETRY_MAX")),
        hookSecrets(env),
        family(env, HOST_PREFIX),
        integer("HOLDFAST_HOOK_RATE", v.get("HOLDFAST_HOOK_RATE"), 1, 1_000_000),
        duration("HOLDFAST_HOOK_DEDUPE_WINDOW", v.get("HOLDFAST_HOOK_DEDUPE_WINDOW")),
        duration("HOLDFAST_STOP_TIMEOUT", v.get("HOLDFAST_STOP_TIMEOUT")),
        crashAt(v.get("HOLDFAST_TEST_CRASH_AT")));
  }

  private static String crashAt(String value) {
    if (value.equals("(none)")) {
      return null;
    }
    if (!value.matches("(update|heal):\\d{1,3}")) {
      throw new IllegalArgumentException(
          "HOLDFAST_TEST_CRASH_AT: update:N or heal:N expected, not " + value);
    }
    return value;
  }

  /** Per-sender secrets by lower-case sender; the shared one under "". */
  private static Map<String, String> hookSecrets(Map<String, String> env) {
    Map<String, String> secrets = new LinkedHashMap<>(family(env, SECRET_PREFIX));
    String shared = env.get("HOLDFAST_HOOK_SECRET");
    if (shared != null && !shared.isBlank()) {
      secrets.put("", shared.trim());
    }
    return Map.copyOf(secrets);
  }

  private static Map<String, String> family(Map<String, String> env, String prefix) {
    Map<String, String> values = new LinkedHashMap<>();
    env.forEach(
        (k, value) -> {
          if (k.startsWith(prefix) && value != null && !value.isBlank()) {
            String sender = k.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT);
            if (!SENDERS.contains(sender)) {
              throw new IllegalArgumentException(
                  k + ": unknown sender '" + sender + "'; one of " + SENDERS);
            }
            values.put(sender, value.trim());
          }
        });
    return Map.copyOf(values);
  }

  static final List<String> SENDERS =
      List.of(
          "watchtower",
          "distribution",
          "dockerhub",
          "harbor",
          "quay",
          "github",
          "gitea",
          "acr",
          "jfrog",
          "gar");

  /** Refuses a configuration that would expose mutating endpoints without auth. */
  public void validate() {
    if (apiToken == null && insecureNoAuth && !loopback(listenHost)) {
      throw new IllegalArgumentException(
          "HOLDFAST_INSECURE_NO_AUTH is only allowed on a loopback listener, not " + listenHost);
    }
    if (!dockerHost.startsWith("unix://") && !dockerHost.startsWith("tcp://")) {
      throw new IllegalArgumentException(
          "HOLDFAST_DOCKER_HOST: unix:///path or tcp://host:port expected, not " + dockerHost);
    }
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static String[] listen(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("HOLDFAST_LISTEN: host:port expected, not " + value);
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    integer("HOLDFAST_LISTEN port", value.substring(colon + 1), 0, 65535);
    return new String[] {host.isEmpty() ? "0.0.0.0" : host, value.substring(colon + 1)};
  }

  private static boolean bool(String key, String value) {
    return switch (value) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(key + ": true or false expected, not " + value);
    };
  }

  private static Duration duration(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static int integer(String key, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + ": a number from " + min + " to " + max + " expected, not " + value);
  }
}
