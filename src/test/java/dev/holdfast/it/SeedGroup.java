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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's world on one real engine, as a JUnit extension: {@code @RegisterExtension static
 * final SeedGroup env = SeedGroup.of("tag")...;} builds it before the class's tests ({@link
 * RealEngine} first: the engine must answer, the test images are built once, stale leftovers go)
 * and removes it after them. It is a private registry, the seed group (holder, app, router) on its
 * own internal network with a BIRD peer, and holdfast running in this JVM ({@link #holdfast}),
 * unless the class runs its own ({@link #withoutHoldfast()}). Every container and network carries
 * the tests' labels ({@link Docker#labels}) of this session, and {@link #close()} removes all of
 * them. {@link #start()} builds one outside the extension (a fresh group per test; {@link
 * SeedScenario} per class on an engine a subclass chooses).
 *
 * <p>The engine is {@link Docker#local()} unless {@link #of(String, Docker)} names another: the
 * group, the registry's pushes and the network are on it, and holdfast manages it. On {@link
 * Docker#SID} the network lets its bridge forward ({@link TestNet}); the registry on 127.0.0.1
 * serves both engines.
 */
final class SeedGroup implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  static final String PREFIX4 = "192.0.2.53/32";

  /** The test images a seed group's tests run (build-images.sh; setup-env.sh loads them on sid). */
  static final List<String> IMAGES =
      List.of(
          "holdfast-test/holder:1",
          "holdfast-test/app:v1",
          "holdfast-test/app:v2",
          "holdfast-test/app:broken",
          "holdfast-test/bird:1");

  /** The engine the group runs on and holdfast manages. */
  final Docker engine;

  final String session = UUID.randomUUID().toString();
  final String name;
  final String group;
  final String holder;
  final String app;
  final String router;
  final String peer;
  final Path tmp;
  final Registry registry;
  String appRef;
  String birdRef;
  TestNet net;

  /** holdfast in this JVM, attached to the group; null with {@link #withoutHoldfast()}. */
  Holdfast holdfast;

  private String holderRestart = "unless-stopped";
  private String routerArgs = "";
  private final List<String> appArgs = new ArrayList<>();
  private boolean withHoldfast = true;
  private Consumer<SeedGroup> beforeHoldfast = e -> {};
  private Consumer<SeedGroup> afterHoldfast = e -> {};
  private List<String> holderArgs;
  private String holderIp;
  private String peerIp;

  private SeedGroup(String tag, Docker engine) {
    this.engine = engine;
    String on = engine.equals(Docker.local()) ? "" : engine.name().toLowerCase(Locale.ROOT) + "-";
    name = "hfit-" + tag + "-" + on + session.substring(0, 6);
    group = name;
    holder = name + "-holder";
    app = name + "-app";
    router = name + "-router";
    peer = name + "-peer";
    try {
      tmp = Files.createTempDirectory(name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry = new Registry(tmp.resolve("registry"), engine);
  }

  /** A seed group whose names start with {@code hfit-<tag>-}, on {@link Docker#local()}. */
  static SeedGroup of(String tag) {
    return of(tag, Docker.local());
  }

  /**
   * A seed group on {@code engine}; its names start with {@code hfit-<tag>-}, then the engine's
   * name when it is not {@link Docker#local()} (e.g. {@code hfit-upd-sid-}).
   */
  static SeedGroup of(String tag, Docker engine) {
    return new SeedGroup(tag, engine);
  }

  /** Extra {@code docker run} options of the app (e.g. labels). */
  SeedGroup app(String... args) {
    appArgs.addAll(List.of(args));
    return this;
  }

  /**
   * The router labels of the {@code bird} route strategy on the seed's BIRD: the anycast protocol
   * is the one withdrawn, the BGP session to the peer the one that must stay up.
   */
  static final String BIRD_ROUTE =
      "--label holdfast.route=bird --label holdfast.bird.protocols=anycast4"
          + " --label holdfast.bird.peers=upstream";

  /** Extra router options (e.g. route labels), one string split at spaces. */
  SeedGroup router(String args) {
    routerArgs = args;
    return this;
  }

  /**
   * The holder's restart policy (default unless-stopped). The peer is test infrastructure and
   * always runs with {@code --restart always}, so it survives engine restarts.
   */
  SeedGroup holderRestart(String policy) {
    holderRestart = policy;
    return this;
  }

  /** Runs between building the group and starting holdfast (e.g. to prepare its data dir). */
  SeedGroup beforeHoldfast(Consumer<SeedGroup> step) {
    beforeHoldfast = step;
    return this;
  }

  /** Runs once holdfast lists the group (e.g. to point the registry's notifications at it). */
  SeedGroup afterHoldfast(Consumer<SeedGroup> step) {
    afterHoldfast = step;
    return this;
  }

  /** No holdfast in this JVM: the class runs its own (e.g. the packaged jar). */
  SeedGroup withoutHoldfast() {
    withHoldfast = false;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Builds everything (and starts holdfast unless told not to); closes what it built on failure.
   */
  SeedGroup start() {
    RealEngine.ready();
    if (!engine.equals(Docker.local())) {
      // RealEngine checked and built on the local engine; setup-env.sh loads the images here
      engine.requireVersion();
      for (String image : IMAGES) {
        engine.requireImage(image);
      }
    }
    try {
      setUp();
      beforeHoldfast.accept(this);
      if (withHoldfast) {
        holdfast = Holdfast.start(tmp.resolve("holdfast-data"), engine.host());
        await("holdfast lists group " + group)
            .atMost(Duration.ofSeconds(30))
            .until(() -> holdfast.attached(group, 2));
        afterHoldfast.accept(this);
      }
      return this;
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private void setUp() {
    registry.start();
    appRef = registry.push("holdfast-test/app:v1", "hf/app:live");
    birdRef = registry.push("holdfast-test/bird:1", "hf/bird:1");
    net = TestNet.create(engine, name + "-net", Docker.labels(session));
    holderIp = net.host(10);
    peerIp = net.host(2);
    holderArgs =
        args(
            String.join(
                " ",
                "--label holdfast.group=" + group,
                "--label holdfast.role=holder",
                "--restart " + holderRestart,
                "--network " + net.name,
                "--ip " + holderIp,
                "holdfast-test/holder:1"));
    runContainer(holder, holderArgs);
    List<String> appAll = new ArrayList<>(args("--restart unless-stopped"));
    appAll.addAll(args("--network container:" + holder));
    appAll.addAll(appArgs);
    appAll.add(appRef);
    runContainer(app, appAll);
    recreateRouter(routerArgs);
    runContainer(
        peer,
        args(
            String.join(
                " ",
                "--restart always --network " + net.name + " --ip " + peerIp,
                bird("peer", peerIp, holderIp, 65000, 65001),
                "holdfast-test/bird:1")));
    await("app healthy").atMost(Duration.ofSeconds(30)).until(() -> engine.runningHealthy(app));
    await("peer learns " + PREFIX4)
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(this::peerHasPrefix);
  }

  /** Runs the router (again, after it was removed) with these extra options. */
  void recreateRouter(String extraArgs) {
    runContainer(
        router,
        args(
            String.join(
                " ",
                "--label holdfast.role=router --restart unless-stopped " + extraArgs,
                "--network container:" + holder,
                bird("router", holderIp, peerIp, 65001, 65000),
                birdRef)));
  }

  /** BIRD's settings as docker run options (see bird-start in build-images.sh). */
  private static String bird(String role, String self, String neighbor, int as, int peerAs) {
    return String.format(
        "--cap-add NET_ADMIN -e BIRD_ROLE=%s -e ROUTER_ID=%s -e LOCAL_AS=%d -e PEER_AS=%d"
            + " -e NEIGHBOR=%s -e PREFIX4=%s",
        role, self, as, peerAs, neighbor, PREFIX4);
  }

  /** Docker arguments from one string; no argument used here contains a space. */
  static List<String> args(String line) {
    return List.of(line.strip().split("\\s+"));
  }

  /** {@code docker run -d --name name <test labels> args...}; returns the container id. */
  String runContainer(String container, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--name", container));
    all.addAll(args);
    return engine.runLabelled(session, all);
  }

  /** Removes the holder and runs a new one with the same name, labels, network and address. */
  String recreateHolder() {
    engine.ok("rm", "-f", holder);
    return runContainer(holder, holderArgs);
  }

  /** Stops the private registry (same port and data stay for {@link #startRegistry()}). */
  void stopRegistry() {
    registry.stop();
  }

  void startRegistry() {
    registry.start();
  }

  boolean peerHasPrefix() {
    Cmd.Result r = engine.exec(peer, "birdc", "-s", PeerSampler.SOCK, "show", "route");
    return r.ok() && r.out().contains(PREFIX4);
  }

  /** The peer's BGP protocol table right now ({@code birdc show protocols}). */
  String peerProtocols() {
    return engine.exec(peer, "birdc", "-s", PeerSampler.SOCK, "show", "protocols").out();
  }

  PeerSampler sampler(Duration max) {
    return new PeerSampler(engine, peer, PREFIX4, max);
  }

  /** What the app answers on /version, asked from inside the group's namespace. */
  String served() {
    return engine.served(holder);
  }

  /** Containers of this session named like holdfast's set-aside or fresh replacements. */
  List<String> asides() {
    return engine.names("name=" + name + "-").stream()
        .filter(n -> n.contains(".holdfast-old-") || n.contains(".holdfast-new-"))
        .toList();
  }

  /**
   * The group as it must be at rest: every member exists exactly once, in the current holder's
   * namespace, running (the app healthy), carrying the session label; the API agrees; the peer has
   * the prefix; nothing set aside is left.
   */
  void assertConsistent() {
    assertConsistentEngine();
    if (holdfast != null) {
      assertThat(holdfast.attached(group, 2)).as("API: all members attached").isTrue();
    }
  }

  /** {@link #assertConsistent()} from the engine and the peer only, without asking holdfast. */
  void assertConsistentEngine() {
    JsonNode h = engine.mustInspect(holder);
    assertThat(Docker.state(h)).as("holder state").isEqualTo("running");
    assertMember(app, h, true);
    assertMember(router, h, false);
    assertThat(asides()).as("set-aside containers").isEmpty();
    assertThat(peerHasPrefix()).as("peer has " + PREFIX4).isTrue();
  }

  /** A member: exactly one container by that name, running in the holder's namespace. */
  void assertMember(String member, JsonNode holderJson, boolean healthy) {
    assertThat(engine.names("name=^/" + member + "$")).as("containers named " + member).hasSize(1);
    JsonNode c = engine.mustInspect(member);
    assertThat(Docker.networkMode(c))
        .as(member + " network mode")
        .isEqualTo("container:" + holderJson.path("Id").asText());
    assertThat(Docker.state(c)).as(member + " state").isEqualTo("running");
    assertThat(Docker.label(c, Docker.SESSION_LABEL))
        .as(member + " session label")
        .isEqualTo(session);
    if (healthy) {
      assertThat(Docker.health(c)).as(member + " health").isEqualTo("healthy");
    }
  }

  /**
   * Waits until the group is consistent as the engine and the peer show it and as holdfast's API
   * reports it: the API may see a change a moment after the engine does.
   */
  void awaitConsistent(Duration within) {
    await("group " + group + " consistent")
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(this::assertConsistent);
  }

  /** Waits (60 s at most) until holdfast lists the group with app and router attached. */
  void awaitAttached() {
    await("the group is whole again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> holdfast.attached(group, 2));
  }

  /** Waits (60 s at most) until the group's runs, as holdfast lists them, satisfy the test. */
  void awaitRuns(String what, Predicate<List<JsonNode>> test) {
    await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> test.test(holdfast.runs(group)));
  }

  /** Removes holdfast, every container and network of this session, and the registry. */
  @Override
  public void close() {
    try {
      if (holdfast != null) {
        holdfast.close();
        holdfast = null;
      }
    } finally {
      try {
        if (engine.answers()) {
          engine.removeContainers("label=" + Docker.SESSION_LABEL + "=" + session);
          engine.removeContainers("name=" + name);
          engine.run("network", "rm", name + "-net");
        }
      } finally {
        if (net != null) {
          net.remove(); // its firewall rule on sid, even when the engine did not answer
        }
        registry.close();
        deleteTree(tmp);
      }
    }
    List<String> left = engine.names("label=" + Docker.SESSION_LABEL + "=" + session);
    assertThat(left).as("containers of session " + session + " left after clean-up").isEmpty();
  }

  /** Deletes a temp directory with all it holds; one left behind is harmless. */
  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
