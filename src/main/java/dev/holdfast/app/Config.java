package dev.holdfast.app;

import dev.holdfast.health.Durations;
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
    Duration gatePoll,
    int retryAttempts,
    Duration retryInitial,
    Duration retryMax) {

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
              "how often groups are checked for stale members"),
          List.of("HOLDFAST_GATE_POLL", "100ms", "how often the health gate looks at a member"),
          List.of(
              "HOLDFAST_RETRY_ATTEMPTS", "9", "attempts of an engine call that fails transiently"),
          List.of(
              "HOLDFAST_RETRY_INITIAL",
              "250ms",
              "first backoff between attempts (doubles each time)"),
          List.of("HOLDFAST_RETRY_MAX", "5s", "longest backoff between attempts"));

  public static Config from(Map<String, String> env) {
    Map<String, String> v = new LinkedHashMap<>();
    for (List<String> key : KEYS) {
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
        duration("HOLDFAST_GATE_POLL", v.get("HOLDFAST_GATE_POLL")),
        integer("HOLDFAST_RETRY_ATTEMPTS", v.get("HOLDFAST_RETRY_ATTEMPTS"), 1, 100),
        duration("HOLDFAST_RETRY_INITIAL", v.get("HOLDFAST_RETRY_INITIAL")),
        duration("HOLDFAST_RETRY_MAX", v.get("HOLDFAST_RETRY_MAX")));
  }

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
