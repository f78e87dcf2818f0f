package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The seed's set-up as a user writes it, run by a real Compose binary on one real engine: a busybox
 * holder with a fixed IP on an internal network, an app from a registry and a BIRD router from an
 * image built on the host, both joined with {@code network_mode: "service:dns-net"}; no holdfast
 * label but the router's (its route control, as the README asks). An upstream BIRD peer on the same
 * network learns the anycast prefix over BGP. BIRD runs with the settings the README recommends
 * (see build-images.sh, {@code BIRD_TIMERS}), not the suite's own.
 *
 * <p>On sid's engine (containerd's image store) the router also says {@code holdfast.pull=never}:
 * that store cannot tell an image built here from a pulled one, and the README tells its users to
 * label such members.
 */
final class ComposeSeed implements AutoCloseable {

  static final String PREFIX = "192.0.2.53/32";

  final Compose.Version version;
  final Docker engine;
  final String project;
  final String holder;
  final String app;
  final String router;
  final String peer;
  final String holderIp;
  final Registry registry;
  final String appRef;

  /** The router's image, tagged on the host only (built here, as users build BIRD images). */
  final String birdRef;

  private final Path dir;
  private final String bridge;
  private final String subnet;
  private boolean firewall;

  private ComposeSeed(Compose.Version version, Docker engine) throws IOException {
    this.version = version;
    this.engine = engine;
    String id = UUID.randomUUID().toString().substring(0, 6);
    this.project = ("hfseed" + id + version).toLowerCase(Locale.ROOT);
    this.holder = project + "-net";
    this.app = project + "-app";
    this.router = project + "-bird";
    this.peer = project + "-peer";
    this.bridge = "hfs" + id;
    this.dir = Files.createTempDirectory(project);
    this.subnet = ComposeRecreateIT.freeSubnet();
    String base = subnet.substring(0, subnet.lastIndexOf('.') + 1);
    int first = Integer.parseInt(subnet.substring(base.length(), subnet.indexOf('/')));
    this.holderIp = base + (first + 10);
    this.registry = new Registry(dir.resolve("registry"));
    registry.start();
    this.appRef = registry.push("holdfast-test/app:v1", "hf/app:live");
    this.birdRef = project + "/bird:local";
    engine.ok("tag", "holdfast-test/bird:1", birdRef);
    Files.writeString(dir.resolve("docker-compose.yml"), file(base + (first + 2)));
  }

  /** Writes the project and brings it up with {@code up -d}. */
  static ComposeSeed up(Compose.Version version, Docker engine) {
    engine.requireVersion();
    RealEngine.ready();
    ComposeSeed seed;
    try {
      seed = new ComposeSeed(version, engine);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      seed.allowTraffic();
      seed.compose().up("-d");
      return seed;
    } catch (RuntimeException | Error e) {
      seed.close();
      throw e;
    }
  }

  Compose compose() {
    return new Compose(version, engine, dir, project);
  }

  /**
   * The tests' own bookkeeping labels (holdfast ignores them): what a killed test JVM leaves behind
   * is removed by the next run ({@link Docker#removeStale}).
   */
  private static List<String> testLabels(boolean withHeader) {
    List<String> out = new java.util.ArrayList<>();
    if (withHeader) {
      out.add("    labels:");
    }
    out.add("      holdfast.test: \"true\"");
    out.add("      " + Docker.PID_LABEL + ": \"" + ProcessHandle.current().pid() + "\"");
    return out;
  }

  private String file(String peerIp) {
    List<String> lines = new java.util.ArrayList<>();
    for (String line : fileLines(peerIp)) {
      if (line.equals("#labels")) {
        lines.addAll(testLabels(true));
      } else if (line.equals("#more-labels")) {
        lines.addAll(testLabels(false));
      } else {
        lines.add(line);
      }
    }
    return String.join("\n", lines);
  }

  private List<String> fileLines(String peerIp) {
    return List.of(
        "services:",
        "  dns-net:",
        "    image: holdfast-test/holder:1",
        "    container_name: " + holder,
        "    restart: always",
        "    networks:",
        "      anycast:",
        "        ipv4_address: " + holderIp,
        "#labels",
        "  dns-app:",
        "    image: " + appRef,
        "    container_name: " + app,
        "    restart: unless-stopped",
        "    network_mode: \"service:dns-net\"",
        "    depends_on: [dns-net]",
        "#labels",
        "  dns-bird:",
        "    image: " + birdRef,
        "    container_name: " + router,
        "    restart: unless-stopped",
        "    network_mode: \"service:dns-net\"",
        "    depends_on: [dns-net]",
        "    cap_add: [NET_ADMIN]",
        "    environment:",
        "      BIRD_ROLE: router",
        "      ROUTER_ID: " + holderIp,
        "      LOCAL_AS: \"65001\"",
        "      PEER_AS: \"65000\"",
        "      NEIGHBOR: " + peerIp,
        "      PREFIX4: " + PREFIX,
        "      ANNOUNCE: disabled",
        "    labels:",
        "      holdfast.role: router",
        "      holdfast.route: bird",
        "      holdfast.bird.protocols: anycast4",
        "      holdfast.bird.peers: upstream",
        engine == Docker.SID ? "      holdfast.pull: never" : "      holdfast.pull: auto",
        "#more-labels",
        "  upstream:",
        "    image: holdfast-test/bird:1",
        "    container_name: " + peer,
        "    restart: always",
        "    cap_add: [NET_ADMIN]",
        "    environment:",
        "      BIRD_ROLE: peer",
        "      ROUTER_ID: " + peerIp,
        "      LOCAL_AS: \"65000\"",
        "      PEER_AS: \"65001\"",
        "      NEIGHBOR: " + holderIp,
        "    networks:",
        "      anycast:",
        "        ipv4_address: " + peerIp,
        "#labels",
        "networks:",
        "  anycast:",
        "    internal: true",
        "    driver_opts:",
        "      com.docker.network.bridge.name: " + bridge,
        "#labels",
        "    ipam:",
        "      config:",
        "        - subnet: " + subnet,
        "");
  }

  /**
   * sid's engine runs without iptables rules, and bookworm's engine sets the FORWARD policy to DROP
   * for bridged frames: traffic between containers of sid's network needs this rule (removed again
   * on close). Bookworm's engine manages its own bridges' rules.
   */
  private void allowTraffic() {
    if (engine != Docker.SID) {
      return;
    }
    Cmd.ok(Duration.ofSeconds(10), acceptRule("-I"));
    firewall = true;
  }

  /** {@code iptables <op> DOCKER-USER} of the rule that lets the network's bridge forward. */
  private List<String> acceptRule(String op) {
    return List.of("iptables", op, "DOCKER-USER", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
  }

  /**
   * Builds the router's image again on the host under the same tag (a commit of its container with
   * one more label: a new image id, still without any registry); returns the new id. Not paused:
   * holdfast execs birdc in the router meanwhile, and on bookworm's runc an exec that lands in a
   * frozen container hangs and then blocks the unpause for good (seen: the commit, every later call
   * on the container and {@code compose down} stuck until the freezer cgroup was thawed by hand).
   */
  String rebuildRouterImage() {
    engine.ok(
        "commit",
        "--pause=false",
        "--change",
        "LABEL rebuilt=" + UUID.randomUUID(),
        router,
        birdRef);
    return engine.ok("image", "inspect", "-f", "{{.Id}}", birdRef);
  }

  JsonNode inspect(String name) {
    return engine.mustInspect(name);
  }

  String id(String name) {
    return engine.id(name);
  }

  /** Every container of the project, by name (temporary names and set-aside ones included). */
  List<String> names() {
    return compose().names();
  }

  boolean peerHasPrefix() {
    Cmd.Result r = engine.run("exec", peer, "birdc", "-s", PeerSampler.SOCK, "show", "route");
    return r.ok() && r.out().contains(PREFIX);
  }

  /** What the app answers on its port, asked from inside the holder's namespace. */
  String served() {
    return engine.served(holder);
  }

  /**
   * The group as it must be at rest: one container per member and nothing else (no Compose
   * temporary name, nothing holdfast set aside), each in the current holder's namespace, started
   * after it, running; the app healthy and serving {@code version}; the peer has the prefix.
   */
  void assertWhole(String version) {
    JsonNode h = inspect(holder);
    assertThat(Docker.state(h)).as("holder").isEqualTo("running");
    assertThat(names()).as("containers").containsExactlyInAnyOrder(holder, app, router, peer);
    Instant holderStart = Instant.parse(h.path("State").path("StartedAt").asText());
    for (String member : List.of(app, router)) {
      JsonNode c = inspect(member);
      assertThat(Docker.networkMode(c))
          .as(member + " network mode")
          .isEqualTo("container:" + h.path("Id").asText());
      assertThat(Docker.state(c)).as(member).isEqualTo("running");
      assertThat(Instant.parse(c.path("State").path("StartedAt").asText()))
          .as(member + " started after the holder")
          .isAfterOrEqualTo(holderStart);
    }
    assertThat(Docker.health(inspect(app))).as("app health").isEqualTo("healthy");
    assertThat(served()).as("app serves").isEqualTo(version);
    assertThat(peerHasPrefix()).as("peer has " + PREFIX).isTrue();
  }

  void awaitWhole(String version, Duration within) {
    await(project + " whole")
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertWhole(version));
  }

  @Override
  public void close() {
    try {
      compose().down();
    } finally {
      if (firewall) {
        Cmd.run(Duration.ofSeconds(10), acceptRule("-D"));
      }
      registry.close();
      engine.run("image", "rm", "--no-prune", appRef);
      engine.run("image", "rm", birdRef);
      SeedGroup.deleteTree(dir);
    }
  }
}
