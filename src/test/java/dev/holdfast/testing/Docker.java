package dev.holdfast.testing;

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

/**
 * The docker CLI against one real engine, as the tests' independent view of it (never holdfast's
 * client). Every call is bounded in time; one that must succeed fails the test with the command and
 * all it printed.
 *
 * <p>The two engines .ci/setup-env.sh runs: {@link #BOOKWORM}, Docker 20.10 (classic overlay2 image
 * store), and {@link #SID}, Docker 28 beside it (containerd image store, no iptables rules, no
 * default bridge). {@link #local()} is the one the tests' in-JVM holdfast manages ({@code
 * DOCKER_HOST}, else bookworm's).
 *
 * <p>On SID, containers on one user network cannot reach each other by default: bookworm's dockerd
 * sets the FORWARD policy to DROP, bridged frames pass iptables here (br_netfilter), and sid's
 * dockerd (no iptables) adds no ACCEPT rule for its bridges. A test that needs such traffic names
 * the bridge ({@code -o com.docker.network.bridge.name=<br>}), adds {@code iptables -I DOCKER-USER
 * -i <br> -o <br> -j ACCEPT} and deletes that rule again. Give SID's networks subnets that no host
 * route uses: bookworm's engine does not know them.
 *
 * <p>What the tests create carries {@link #labels(String)}: {@code holdfast.test=true}, the test
 * session, and the pid of this JVM, so that {@link #removeStale()} can remove what a killed JVM
 * left.
 */
public record Docker(String name, String host, String versionPrefix) {

  public static final String TEST_LABEL = "holdfast.test";
  public static final String SESSION_LABEL = "holdfast.test.session";
  public static final String PID_LABEL = "holdfast.test.it.pid";

  public static final Docker BOOKWORM =
      new Docker("BOOKWORM", "unix:///var/run/docker.sock", "20.10.");
  public static final Docker SID = new Docker("SID", "unix:///run/docker-sid.sock", "28.");

  /** One docker call; a run, push or pull gets longer ({@link #run(Duration, String...)}). */
  public static final Duration CALL = Duration.ofSeconds(60);

  private static final Duration ASK = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The engine the tests' own holdfast manages: {@code DOCKER_HOST} when set, else bookworm's. */
  public static Docker local() {
    String env = System.getenv("DOCKER_HOST");
    if (env == null || env.isBlank() || env.equals(BOOKWORM.host)) {
      return BOOKWORM;
    }
    return env.equals(SID.host) ? SID : new Docker("DOCKER_HOST", env, "");
  }

  /** The Docker host URI, e.g. for {@code DOCKER_HOST} or holdfast's engine. */
  public String host() {
    return host;
  }

  @Override
  public String toString() {
    return name;
  }

  /** {@code docker -H <host> args...} as a command line. */
  public List<String> cli(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Any docker command; its result, whatever the exit code. */
  public Cmd.Result run(String... args) {
    return run(CALL, args);
  }

  public Cmd.Result run(Duration timeout, String... args) {
    return Cmd.run(timeout, cli(args));
  }

  /** A docker command that must succeed; its trimmed stdout. */
  public String ok(String... args) {
    return ok(CALL, args);
  }

  public String ok(Duration timeout, String... args) {
    return Cmd.ok(timeout, cli(args));
  }

  /** Whether the engine answers at all. */
  public boolean answers() {
    return run(ASK, "version", "--format", "{{.Server.Version}}").ok();
  }

  /**
   * The engine's server version; fails (never skips) when it does not answer or is not the release
   * setup-env.sh runs there.
   */
  public String requireVersion() {
    Cmd.Result r = run(ASK, "version", "--format", "{{.Server.Version}}");
    if (!r.ok()) {
      throw new AssertionError(
          this
              + " engine on "
              + host
              + " does not answer (.ci/setup-env.sh starts it; run the README test command): "
              + r.describe());
    }
    String version = r.out().strip();
    if (!version.startsWith(versionPrefix)) {
      throw new AssertionError(
          this + " engine on " + host + " runs " + version + ", expected " + versionPrefix + "x");
    }
    return version;
  }

  /** Fails when {@code image} is not on this engine. */
  public void requireImage(String image) {
    Cmd.Result r = run("image", "inspect", "--format", "{{.Id}}", image);
    if (!r.ok()) {
      throw new AssertionError(
          image
              + " is not on the engine at "
              + host
              + " (.ci/setup-env.sh loads the test images into it): "
              + r.describe());
    }
  }

  /** The tests' labels as docker options: test, session and this JVM's pid. */
  public static List<String> labels(String session) {
    return List.of(
        "--label",
        TEST_LABEL + "=true",
        "--label",
        SESSION_LABEL + "=" + session,
        "--label",
        PID_LABEL + "=" + ProcessHandle.current().pid());
  }

  /** {@code docker run -d <test labels of session> args...}; returns the container id. */
  public String runLabelled(String session, List<String> args) {
    List<String> all = new ArrayList<>(List.of("run", "-d"));
    all.addAll(labels(session));
    all.addAll(args);
    String out = ok(all.toArray(String[]::new));
    return out.substring(out.lastIndexOf('\n') + 1).strip();
  }

  public String runLabelled(String session, String... args) {
    return runLabelled(session, List.of(args));
  }

  /** Removes every container matching the filter (e.g. {@code label=k=v}, {@code name=x}). */
  public void removeContainers(String filter) {
    List<String> names = names(filter);
    if (!names.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
      args.addAll(names);
      run(args.toArray(String[]::new));
    }
  }

  /** Removes every container and network of a session. */
  public void removeSession(String session) {
    String label = "label=" + SESSION_LABEL + "=" + session;
    removeContainers(label);
    for (String net : words(ok("network", "ls", "-q", "--filter", label))) {
      run("network", "rm", net);
    }
  }

  /** Removes what an earlier JVM (no longer alive) of these tests left behind, on both engines. */
  public static void removeStale() {
    BOOKWORM.removeStaleHere();
    if (SID.answers()) {
      SID.removeStaleHere(); // an engine that does not answer fails the tests that use it
    }
  }

  private void removeStaleHere() {
    // One listing per kind, labels read by the listing itself: a container's labels sit under
    // .Config in `inspect` but a network's at the top, and an inspect per id races with removal.
    String label = "label=" + PID_LABEL;
    String fmt = "{{.ID}} {{.Label \"" + PID_LABEL + "\"}}";
    for (String id : staleIds(ok("ps", "-a", "--filter", label, "--format", fmt))) {
      run("rm", "-f", "-v", id);
    }
    for (String id : staleIds(ok("network", "ls", "--filter", label, "--format", fmt))) {
      run("network", "rm", id);
    }
  }

  /** The ids of "id pid" lines whose pid is no live process. */
  static List<String> staleIds(String listing) {
    List<String> ids = new ArrayList<>();
    for (String line : listing.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && dead(parts[1])) {
        ids.add(parts[0]);
      }
    }
    return ids;
  }

  private static boolean dead(String pid) {
    return pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty();
  }

  private static List<String> words(String out) {
    return out.isBlank() ? List.of() : List.of(out.strip().split("\\s+"));
  }

  /** {@code docker inspect} of one container, or empty when there is none by that name/id. */
  public Optional<JsonNode> inspect(String container) {
    Cmd.Result r = run("container", "inspect", container);
    if (!r.ok()) {
      if (r.err().contains("No such")) {
        return Optional.empty();
      }
      throw new AssertionError("docker -H " + host + " inspect " + container + ": " + r.describe());
    }
    try {
      return Optional.of(JSON.readTree(r.out()).get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode mustInspect(String container) {
    return inspect(container).orElseThrow(() -> new AssertionError("no container " + container));
  }

  public String id(String container) {
    return mustInspect(container).path("Id").asText();
  }

  public String startedAt(String container) {
    return mustInspect(container).path("State").path("StartedAt").asText();
  }

  public String label(String container, String key) {
    return label(mustInspect(container), key);
  }

  public static String state(JsonNode c) {
    return c.path("State").path("Status").asText();
  }

  public static String health(JsonNode c) {
    return c.path("State").path("Health").path("Status").asText("none");
  }

  public static String networkMode(JsonNode c) {
    return c.path("HostConfig").path("NetworkMode").asText();
  }

  public static String label(JsonNode c, String key) {
    return c.path("Config").path("Labels").path(key).asText(null);
  }

  /** Network name to IPv4 address of a container on user networks. */
  public Map<String, String> ips(String container) {
    Map<String, String> out = new TreeMap<>();
    mustInspect(container)
        .path("NetworkSettings")
        .path("Networks")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().path("IPAddress").asText()));
    return out;
  }

  /** Whether a container is running and, when it has a HEALTHCHECK, healthy. */
  public boolean runningHealthy(String container) {
    return inspect(container)
        .map(c -> state(c).equals("running") && Set.of("healthy", "none").contains(health(c)))
        .orElse(false);
  }

  /** Names (without slash) of all containers matching the filters, e.g. label=k=v. */
  public List<String> names(String... filters) {
    List<String> args = new ArrayList<>(List.of("ps", "-a", "--format", "{{.Names}}"));
    for (String f : filters) {
      args.add("--filter");
      args.add(f);
    }
    return words(ok(args.toArray(String[]::new)));
  }

  /** {@code docker exec container command...}, bounded at 20 s. */
  public Cmd.Result exec(String container, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", container));
    args.addAll(Arrays.asList(command));
    return run(ASK, args.toArray(String[]::new));
  }

  /** What the app answers on /version, asked from inside the group's namespace via the holder. */
  public String served(String holder) {
    Cmd.Result r =
        exec(holder, "timeout", "5", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/version");
    return r.ok() ? r.out().strip() : "(" + r.describe() + ")";
  }

  public String imageId(String image) {
    return ok("image", "inspect", "-f", "{{.Id}}", image);
  }
}
