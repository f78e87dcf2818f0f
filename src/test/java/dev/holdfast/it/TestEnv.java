package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One test class's world on the real engine: a private registry, the seed group (holder, app,
 * router) on its own internal network with a BIRD peer, and holdfast running in this JVM. Every
 * container and network carries {@code holdfast.test=true} and this session's label, and {@link
 * #close()} removes all of them.
 */
final class TestEnv implements AutoCloseable {

  static final String PREFIX4 = "192.0.2.53/32";
  static final String SESSION_LABEL = "holdfast.test.session";
  static final String PID_LABEL = "holdfast.test.it.pid";

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
  private List<String> holderArgs;
  private Holdfast holdfast;
  private String routerArgs = "";
  private String holderIp;
  private String peerIp;

  private TestEnv(String tag) throws IOException {
    name = "hfit-" + tag + "-" + session.substring(0, 6);
    group = name;
    holder = name + "-holder";
    app = name + "-app";
    router = name + "-router";
    peer = name + "-peer";
    tmp = Files.createTempDirectory(name + "-");
    registry = new Registry(tmp.resolve("registry"));
  }

  /** Builds everything; the app container gets {@code appArgs} (e.g. extra labels). */
  static TestEnv start(String tag, String... appArgs) {
    return startWithHolderRestart(tag, "unless-stopped", appArgs);
  }

  /**
   * As {@link #start(String, String...)} with the holder's restart policy given. The peer is test
   * infrastructure and always runs with {@code --restart always}, so it survives engine restarts.
   */
  static TestEnv startWithHolderRestart(String tag, String holderRestart, String... appArgs) {
    return startWith(tag, holderRestart, "", appArgs);
  }

  /** As {@link #start(String, String...)} with extra router options (e.g. route labels). */
  static TestEnv startWithRouter(String tag, String routerArgs, String... appArgs) {
    return startWith(tag, "unless-stopped", routerArgs, appArgs);
  }

  private static TestEnv startWith(
      String tag, String holderRestart, String routerArgs, String... appArgs) {
    Images.ready();
    TestEnv env;
    try {
      env = new TestEnv(tag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      env.routerArgs = routerArgs;
      env.setUp(holderRestart, List.of(appArgs));
      return env;
    } catch (RuntimeException | Error e) {
      env.close();
      throw e;
    }
  }

  private void setUp(String holderRestart, List<String> appArgs) {
    registry.start();
    appRef = registry.push("holdfast-test/app:v1", "hf/app:live");
    birdRef = registry.push("holdfast-test/bird:1", "hf/bird:1");
    net = TestNet.create(name + "-net", labels());
    String holderIp = net.host(10);
    String peerIp = net.host(2);
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
    this.holderIp = holderIp;
    this.peerIp = peerIp;
    recreateRouter(routerArgs);
    runContainer(
        peer,
        args(
            String.join(
                " ",
                "--restart always --network " + net.name + " --ip " + peerIp,
                bird("peer", peerIp, holderIp, 65000, 65001),
                "holdfast-test/bird:1")));
    await("app healthy").atMost(Duration.ofSeconds(30)).until(() -> Docker.runningHealthy(app));
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

  /** Starts holdfast in this JVM and waits until it lists the seed group fully attached. */
  Holdfast holdfast() {
    if (holdfast == null) {
      holdfast = new Holdfast(tmp.resolve("holdfast-data"));
      await("holdfast lists group " + group)
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdfast.attached(group, 2));
    }
    return holdfast;
  }

  List<String> labels() {
    return args(
        String.format(
            "--label holdfast.test=true --label %s=%s --label %s=%d",
            SESSION_LABEL, session, PID_LABEL, ProcessHandle.current().pid()));
  }

  /** {@code docker run -d --name name <test labels> args...}; returns the container id. */
  String runContainer(String container, List<String> args) {
    List<String> all = new ArrayList<>(List.of("run", "-d", "--name", container));
    all.addAll(labels());
    all.addAll(args);
    return Docker.ok(all.toArray(String[]::new));
  }

  /** Removes the holder and runs a new one with the same name, labels, network and address. */
  String recreateHolder() {
    Docker.ok("rm", "-f", holder);
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
    Cmd.Result r = Docker.exec(peer, "birdc", "-s", PeerSampler.SOCK, "show", "route");
    return r.ok() && r.out().contains(PREFIX4);
  }

  PeerSampler sampler(Duration max) {
    return new PeerSampler(peer, PREFIX4, max);
  }

  /** Containers of this session named like holdfast's set-aside or fresh replacements. */
  List<String> asides() {
    return Docker.names("name=" + name + "-").stream()
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
    JsonNode h = Docker.mustInspect(holder);
    assertThat(Docker.state(h)).as("holder state").isEqualTo("running");
    assertMember(app, h, true);
    assertMember(router, h, false);
    assertThat(asides()).as("set-aside containers").isEmpty();
    assertThat(peerHasPrefix()).as("peer has " + PREFIX4).isTrue();
  }

  /** A member: exactly one container by that name, running in the holder's namespace. */
  void assertMember(String member, JsonNode holderJson, boolean healthy) {
    assertThat(Docker.names("name=^/" + member + "$")).as("containers named " + member).hasSize(1);
    JsonNode c = Docker.mustInspect(member);
    assertThat(Docker.networkMode(c))
        .as(member + " network mode")
        .isEqualTo("container:" + holderJson.path("Id").asText());
    assertThat(Docker.state(c)).as(member + " state").isEqualTo("running");
    assertThat(Docker.label(c, SESSION_LABEL)).as(member + " session label").isEqualTo(session);
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

  /** Removes holdfast, every container and network of this session, and the registry. */
  @Override
  public void close() {
    try {
      if (holdfast != null) {
        holdfast.close();
      }
    } finally {
      if (Docker.reachable()) {
        Cleanup.removeContainers("label=" + SESSION_LABEL + "=" + session);
        Cleanup.removeContainers("name=" + name);
        Docker.run("network", "rm", net == null ? name + "-net" : net.name);
      }
      registry.close();
      Cleanup.deleteTree(tmp);
    }
    List<String> left = Docker.names("label=" + SESSION_LABEL + "=" + session);
    assertThat(left).as("containers of session " + session + " left after clean-up").isEmpty();
  }
}
