package dev.holdfast.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The docker CLI, as the tests' independent view of the engine (never holdfast's client). */
final class Docker {

  static final Duration CALL = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Docker() {}

  static Cmd.Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(Arrays.asList(args));
    return Cmd.run(CALL, cmd);
  }

  /** A docker command that must succeed; its trimmed stdout. */
  static String ok(String... args) {
    Cmd.Result r = run(args);
    if (!r.ok()) {
      throw new AssertionError("docker " + String.join(" ", args) + " failed: " + r.describe());
    }
    return r.out().strip();
  }

  /** Whether the engine answers at all. */
  static boolean reachable() {
    return Cmd.run(Duration.ofSeconds(20), "docker", "info", "--format", "{{.ServerVersion}}").ok();
  }

  /** {@code docker inspect} of one container, or empty when there is none by that name/id. */
  static Optional<JsonNode> inspect(String container) {
    Cmd.Result r = run("container", "inspect", container);
    if (!r.ok()) {
      if (r.err().contains("No such")) {
        return Optional.empty();
      }
      throw new AssertionError("docker inspect " + container + " failed: " + r.describe());
    }
    try {
      return Optional.of(JSON.readTree(r.out()).get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode mustInspect(String container) {
    return inspect(container).orElseThrow(() -> new AssertionError("no container " + container));
  }

  static String id(String container) {
    return mustInspect(container).path("Id").asText();
  }

  static String startedAt(String container) {
    return mustInspect(container).path("State").path("StartedAt").asText();
  }

  static String state(JsonNode c) {
    return c.path("State").path("Status").asText();
  }

  static String health(JsonNode c) {
    return c.path("State").path("Health").path("Status").asText("none");
  }

  static String networkMode(JsonNode c) {
    return c.path("HostConfig").path("NetworkMode").asText();
  }

  static String label(JsonNode c, String key) {
    return c.path("Config").path("Labels").path(key).asText(null);
  }

  /** Network name to IPv4 address of a container on user networks. */
  static Map<String, String> ips(String container) {
    Map<String, String> out = new TreeMap<>();
    mustInspect(container)
        .path("NetworkSettings")
        .path("Networks")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().path("IPAddress").asText()));
    return out;
  }

  /** Whether a container is running and, when it has a HEALTHCHECK, healthy. */
  static boolean runningHealthy(String container) {
    return inspect(container)
        .map(c -> state(c).equals("running") && Set.of("healthy", "none").contains(health(c)))
        .orElse(false);
  }

  /** Names (without slash) of all containers matching the filters, e.g. label=k=v. */
  static List<String> names(String... filters) {
    List<String> args = new ArrayList<>(List.of("ps", "-a", "--format", "{{.Names}}"));
    for (String f : filters) {
      args.add("--filter");
      args.add(f);
    }
    String out = ok(args.toArray(String[]::new));
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  static Cmd.Result exec(String container, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", container));
    args.addAll(Arrays.asList(command));
    return Cmd.run(Duration.ofSeconds(20), prepend("docker", args));
  }

  /** What the app answers on /version, asked from inside the group's namespace via the holder. */
  static String version(String holder) {
    Cmd.Result r = exec(holder, "wget", "-q", "-O", "-", "http://127.0.0.1:8080/version");
    return r.ok() ? r.out().strip() : "(" + r.describe() + ")";
  }

  static String imageId(String image) {
    return ok("image", "inspect", "-f", "{{.Id}}", image);
  }

  private static List<String> prepend(String head, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(rest);
    return all;
  }
}
