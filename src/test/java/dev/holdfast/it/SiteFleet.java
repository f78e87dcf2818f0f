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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several sites of anycast prefixes on one engine, as a JUnit extension ({@code @RegisterExtension
 * static final SiteFleet fleet = SiteFleet.of("tag").site("a", "192.0.2.53/32")...;}) or an
 * AutoCloseable ({@link #start()}, {@link #close()}). A site is a group announcing a prefix: holder
 * (its own address on one {@code --internal} network), app (from a private {@link Registry}, so a
 * push of its tag can update several sites at once) and BIRD router (the {@code bird} route
 * strategy's labels) in the holder's namespace. One upstream BIRD peer on the same network has a
 * BGP session to every site ({@code downstream}, {@code downstream2}, ... in the order the sites
 * were declared) and, with {@link #anycast()}, installs its best routes in its kernel, so a client
 * container in its namespace asks the anycast address the way a user behind the upstream router
 * would; while no site announces an address, the peer's kernel has an {@code unreachable} route for
 * it (metric {@value #UNREACHABLE}), so a request fails at once.
 *
 * <p>Every site carries {@code holdfast.scope}: by default the fleet's own name (unique per
 * session), so no other holdfast on the shared engine (another test JVM, a bench) manages, heals or
 * re-announces the fleet's sites; {@link #scope(String, String)} sets another (e.g. two instances'
 * scopes), {@code null} none. The peer and the client carry a scope no instance has: the client
 * joins the peer's namespace, and holdfast would otherwise see the two as a group.
 *
 * <p>Nothing here starts holdfast unless asked ({@link #holdfast(String, Map)}). Everything carries
 * the tests' labels of this session ({@link Docker#labels}); {@link #close()} removes the holdfasts
 * it started, every container and the network, the firewall rules and the registry, and fails when
 * a container or a rule is left.
 */
final class SiteFleet implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  static final Docker DOCKER = Docker.local();
  static final String SOCK = PeerSampler.SOCK;

  /** The AS of the peer and of every site. */
  static final int PEER_AS = 65000;

  static final int SITE_AS = 65001;

  /**
   * The kernel metric of the peer's fallback route for an anycast address ({@code unreachable}):
   * above BIRD's own (32), so any route BIRD installs wins.
   */
  static final String UNREACHABLE = "4000";

  /**
   * The default tag every site's app runs: one push of it updates them all. The tests push with
   * {@link Registry#push}, which leaves the engine's tag on the pushed image: {@link
   * Registry#publish} puts the old image back under the tag after pushing, and a holdfast that
   * pulled in between (several sites pull at once) would then create its replacement from the old
   * image by that name.
   */
  static final String APP_TAG = "hf/app:live";

  /** One site as declared, with the names it got. */
  static final class Site {
    final String name;
    final String prefix4;
    final String group;
    final String holder;
    final String app;
    final String router;
    final int index;
    String ip;
    String scope;
    String appTag = APP_TAG;
    String appRef;
    final List<String> holderArgs = new ArrayList<>();

    private Site(String fleet, String name, String prefix4, int index, String scope) {
      this.name = name;
      this.prefix4 = prefix4;
      this.index = index;
      this.scope = scope;
      this.group = fleet + "-" + name;
      this.holder = group + "-holder";
      this.app = group + "-app";
      this.router = group + "-router";
    }

    /** The prefixes its router announces (PREFIX4 may list several). */
    List<String> prefixes() {
      return List.of(prefix4.split(","));
    }

    /** The peer's BGP protocol to this site: downstream, downstream2, ... */
    String peerProtocol() {
      return index == 0 ? "downstream" : "downstream" + (index + 1);
    }

    @Override
    public String toString() {
      return name + "(" + prefix4 + " at " + ip + ")";
    }
  }

  final String session = UUID.randomUUID().toString();
  final String name;
  final String peer;
  final String client;
  final Path tmp;
  final Registry registry;

  /** The scope of the peer and the client: one no holdfast instance has. */
  final String infraScope;

  private final Map<String, Site> sites = new LinkedHashMap<>();
  private final List<String> routerLabels = new ArrayList<>();
  private final List<Holdfast> holdfasts = new ArrayList<>();
  private final List<List<String>> rules = new ArrayList<>();
  private boolean anycast;
  private TestNet net;
  private String peerIp;
  private String bridge;

  private SiteFleet(String tag) {
    name = "hfit-" + tag + "-" + session.substring(0, 6);
    peer = name + "-peer";
    client = name + "-client";
    infraScope = name + "-infra";
    try {
      tmp = Files.createTempDirectory(name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry = new Registry(tmp.resolve("registry"));
  }

  /** A fleet whose names start with {@code hfit-<tag>-}. */
  static SiteFleet of(String tag) {
    return new SiteFleet(tag);
  }

  /** Declares a site announcing {@code prefix4} (one prefix, or several comma-separated). */
  SiteFleet site(String site, String prefix4) {
    if (sites.containsKey(site)) {
      throw new IllegalArgumentException("site " + site + " declared twice");
    }
    if (sites.size() >= 10) {
      throw new IllegalArgumentException("at most 10 sites on one /28");
    }
    sites.put(site, new Site(name, site, prefix4, sites.size(), name));
    return this;
  }

  /** The site's {@code holdfast.scope} (default the fleet's name); null: no scope label. */
  SiteFleet scope(String site, String scope) {
    declared(site).scope = scope;
    return this;
  }

  /** The tag (in the fleet's registry) the site's app runs; default {@link #APP_TAG}. */
  SiteFleet appTag(String site, String repoTag) {
    declared(site).appTag = repoTag;
    return this;
  }

  /** Extra {@code docker run} options of the site's holder. */
  SiteFleet holder(String site, String... args) {
    declared(site).holderArgs.addAll(List.of(args));
    return this;
  }

  /**
   * Extra labels on every router, {@code key=value}; {@code {prefix}} and {@code {site}} in the
   * value stand for the site's prefix (as declared) and name, e.g. {@code
   * holdfast.prefixes={prefix}}.
   */
  SiteFleet routerLabels(String... keyValues) {
    routerLabels.addAll(List.of(keyValues));
    return this;
  }

  /**
   * Makes the anycast addresses answer a client behind the peer: each holder gets NET_ADMIN and the
   * address of each of its /32 prefixes on {@code lo}, the peer installs its best routes in its
   * kernel ({@code KERNEL=1}), a client container joins the peer's namespace, and DOCKER-USER
   * accepts traffic between the network and those addresses ({@link #openFirewall()}).
   */
  SiteFleet anycast() {
    anycast = true;
    return this;
  }

  private Site declared(String site) {
    Site s = sites.get(site);
    if (s == null) {
      throw new IllegalArgumentException("no site " + site + " declared");
    }
    return s;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Builds everything and waits until the peer has every site's route; closes it on failure. */
  SiteFleet start() {
    if (sites.isEmpty()) {
      throw new IllegalStateException("a fleet without sites");
    }
    RealEngine.ready();
    TestNet.removeStaleRules();
    try {
      setUp();
      return this;
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private void setUp() {
    registry.start();
    Set<String> tags = new LinkedHashSet<>();
    sites.values().forEach(s -> tags.add(s.appTag));
    Map<String, String> refs = new HashMap<>();
    for (String tag : tags) {
      refs.put(tag, registry.push("holdfast-test/app:v1", tag));
    }
    String birdRef = registry.push("holdfast-test/bird:1", "hf/bird:1");
    bridge = "hffl" + session.substring(0, 8);
    List<String> netArgs = new ArrayList<>(Docker.labels(session));
    netArgs.addAll(List.of("-o", "com.docker.network.bridge.name=" + bridge));
    net = TestNet.create(name + "-net", netArgs);
    peerIp = net.host(2);
    for (Site s : sites.values()) {
      s.ip = net.host(4 + s.index);
      s.appRef = refs.get(s.appTag);
      runHolder(s);
      List<String> app = new ArrayList<>(scoped(s.scope));
      app.addAll(List.of("--restart", "unless-stopped", "--network", "container:" + s.holder));
      app.add(s.appRef);
      run(s.app, app);
      List<String> router = new ArrayList<>(scoped(s.scope));
      router.addAll(SeedGroup.args("--label holdfast.role=router " + SeedGroup.BIRD_ROUTE));
      for (String kv : routerLabels) {
        router.addAll(
            List.of("--label", kv.replace("{prefix}", s.prefix4).replace("{site}", s.name)));
      }
      router.addAll(List.of("--restart", "unless-stopped", "--network", "container:" + s.holder));
      router.addAll(bird("router", s.ip, peerIp, SITE_AS, PEER_AS));
      router.addAll(List.of("-e", "PREFIX4=" + s.prefix4, birdRef));
      run(s.router, router);
    }
    String neighbors = String.join(",", sites.values().stream().map(s -> s.ip).toList());
    List<String> peerArgs = new ArrayList<>(scoped(infraScope));
    peerArgs.addAll(List.of("--restart", "always", "--network", net.name, "--ip", peerIp));
    peerArgs.addAll(bird("peer", peerIp, neighbors, PEER_AS, SITE_AS));
    if (anycast) {
      peerArgs.addAll(List.of("-e", "KERNEL=1"));
    }
    peerArgs.add("holdfast-test/bird:1");
    run(peer, peerArgs);
    if (anycast) {
      for (String a : anycastAddresses()) {
        // While BIRD has no route for it, the address is unreachable at once (as behind an
        // upstream without the route), instead of taking the network's default route to the host.
        DOCKER.ok(
            "exec", peer, "ip", "route", "add", "unreachable", a + "/32", "metric", UNREACHABLE);
      }
      List<String> c = new ArrayList<>(scoped(infraScope));
      c.addAll(List.of("--network", "container:" + peer, "holdfast-test/holder:1"));
      run(client, c);
      openFirewall();
    }
    for (Site s : sites.values()) {
      await("app of " + s + " healthy")
          .atMost(Duration.ofSeconds(30))
          .until(() -> DOCKER.runningHealthy(s.app));
    }
    awaitPeer("the peer learns every site's route", Duration.ofSeconds(45), this::allRoutes);
  }

  private void runHolder(Site s) {
    List<String> h = new ArrayList<>(scoped(s.scope));
    h.addAll(
        List.of(
            "--label",
            "holdfast.group=" + s.group,
            "--label",
            "holdfast.role=holder",
            "--restart",
            "unless-stopped",
            "--network",
            net.name,
            "--ip",
            s.ip));
    if (anycast) {
      h.addAll(List.of("--cap-add", "NET_ADMIN"));
    }
    h.addAll(s.holderArgs);
    h.add("holdfast-test/holder:1");
    run(s.holder, h);
    if (anycast) {
      for (String a : anycastAddresses(s)) {
        // busybox ip in the holder; NET_ADMIN is the holder's, which an exec inherits
        DOCKER.ok("exec", s.holder, "ip", "addr", "add", a + "/32", "dev", "lo");
      }
    }
  }

  private static List<String> anycastAddresses(Site s) {
    return s.prefixes().stream()
        .filter(p -> p.endsWith("/32"))
        .map(p -> p.substring(0, p.length() - 3))
        .toList();
  }

  /** Every distinct anycast address (the /32 prefixes of all sites). */
  List<String> anycastAddresses() {
    Set<String> out = new TreeSet<>();
    sites.values().forEach(s -> out.addAll(anycastAddresses(s)));
    return List.copyOf(out);
  }

  private static List<String> scoped(String scope) {
    return scope == null ? List.of() : List.of("--label", "holdfast.scope=" + scope);
  }

  /** BIRD's settings as docker run options (see bird-start in build-images.sh). */
  private static List<String> bird(String role, String self, String neighbor, int as, int peerAs) {
    return List.of(
        "--cap-add",
        "NET_ADMIN",
        "-e",
        "BIRD_ROLE=" + role,
        "-e",
        "ROUTER_ID=" + self,
        "-e",
        "LOCAL_AS=" + as,
        "-e",
        "PEER_AS=" + peerAs,
        "-e",
        "NEIGHBOR=" + neighbor);
  }

  private String run(String container, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--name", container));
    all.addAll(args);
    return DOCKER.runLabelled(session, all);
  }

  // --- what the fleet offers ---------------------------------------------------------------

  List<Site> sites() {
    return List.copyOf(sites.values());
  }

  Site site(String site) {
    return declared(site);
  }

  /** The sites announcing the prefix, in declaration order. */
  List<Site> sitesOf(String prefix) {
    return sites.values().stream().filter(s -> s.prefixes().contains(prefix)).toList();
  }

  /** Every prefix some site announces. */
  Set<String> prefixes() {
    Set<String> out = new TreeSet<>();
    sites.values().forEach(s -> out.addAll(s.prefixes()));
    return out;
  }

  String peerIp() {
    return peerIp;
  }

  TestNet net() {
    return net;
  }

  /** The peer's table right now: its routes by prefix, the best one first. */
  Map<String, List<PeerRoute>> peerRoutes() {
    Cmd.Result r = DOCKER.exec(peer, "birdc", "-s", SOCK, "show", "route");
    if (!r.ok()) {
      throw new AssertionError("birdc show route at the peer: " + r.describe());
    }
    return PeerRoute.parse(r.out());
  }

  /** The next hops (site addresses) of the peer's routes for the prefix; empty when it has none. */
  static Set<String> nextHops(Map<String, List<PeerRoute>> table, String prefix) {
    Set<String> out = new TreeSet<>();
    table.getOrDefault(prefix, List.of()).forEach(r -> out.add(r.nextHop()));
    return out;
  }

  /** Whether the peer has a route for the prefix from the site (its session, its next hop). */
  static boolean hasRouteVia(Map<String, List<PeerRoute>> table, String prefix, Site s) {
    return table.getOrDefault(prefix, List.of()).stream()
        .anyMatch(r -> r.nextHop().equals(s.ip) && r.protocol().equals(s.peerProtocol()));
  }

  /** Whether the peer has, for every prefix, a route from each site that announces it. */
  boolean allRoutes() {
    Map<String, List<PeerRoute>> t = peerRoutesOrEmpty();
    return sites.values().stream()
        .allMatch(s -> s.prefixes().stream().allMatch(p -> hasRouteVia(t, p, s)));
  }

  private Map<String, List<PeerRoute>> peerRoutesOrEmpty() {
    Cmd.Result r = DOCKER.exec(peer, "birdc", "-s", SOCK, "show", "route");
    return r.ok() ? PeerRoute.parse(r.out()) : Map.of();
  }

  /** The peer's BGP protocol table right now ({@code birdc show protocols}). */
  String peerProtocols() {
    return DOCKER.exec(peer, "birdc", "-s", SOCK, "show", "protocols").out();
  }

  /**
   * The next hop the peer's kernel uses for the address ({@code ip route get} in its namespace); ""
   * when it has no route but the default.
   */
  String kernelNextHop(String address) {
    Cmd.Result r = DOCKER.exec(peer, "ip", "route", "get", address);
    String out = r.out().strip();
    int via = out.indexOf(" via ");
    return !r.ok() || via < 0 ? "" : out.substring(via + 5).split("\\s+")[0];
  }

  /** A sampler of the peer's whole table every 100 ms, for at most {@code max}. */
  RouteSampler sampler(Duration max) {
    return new RouteSampler(DOCKER, peer, max);
  }

  /** Waits (polling every 250 ms) until the peer's table satisfies the condition. */
  void awaitPeer(String what, Duration within, java.util.concurrent.Callable<Boolean> condition) {
    await(what).atMost(within).pollInterval(Duration.ofMillis(250)).until(condition);
  }

  /** {@code birdc <command...>} in the site's router; its result. */
  Cmd.Result birdc(Site s, String... command) {
    List<String> args = new ArrayList<>(List.of("birdc", "-s", SOCK));
    args.addAll(List.of(command));
    return DOCKER.exec(s.router, args.toArray(String[]::new));
  }

  /** Withdraws the site's prefixes as holdfast's bird strategy does: {@code disable anycast4}. */
  void disable(Site s) {
    Cmd.Result r = birdc(s, "disable", "anycast4");
    assertThat(r.out()).as("birdc disable anycast4 in " + s.router).contains("anycast4: disabled");
  }

  void enable(Site s) {
    Cmd.Result r = birdc(s, "enable", "anycast4");
    assertThat(r.out()).as("birdc enable anycast4 in " + s.router).contains("anycast4: enabled");
  }

  /** What the site's app answers on /version, asked from inside the site's namespace. */
  String served(Site s) {
    return DOCKER.served(s.holder);
  }

  /**
   * What a client behind the peer gets from {@code http://<address>:8080/version} (busybox wget,
   * bounded at 5 s by {@code timeout}: Debian's busybox wget crashes on -T); {@code (...)} with the
   * failure when it gets no answer. Needs {@link #anycast()}.
   */
  String servedAt(String address) {
    if (!anycast) {
      throw new IllegalStateException("the fleet was built without anycast()");
    }
    Cmd.Result r =
        DOCKER.exec(
            client, "timeout", "5", "wget", "-q", "-O", "-", "http://" + address + ":8080/version");
    return r.ok() ? r.out().strip() : "(" + r.describe() + ")";
  }

  // --- the firewall --------------------------------------------------------------------------

  /**
   * The DOCKER-USER rules that let the anycast traffic pass: an {@code --internal} network drops
   * bridged traffic to and from addresses outside its subnet, and the anycast addresses are. Two
   * rules per address, for this network's bridge only: subnet to address and back. Each carries a
   * comment naming the session and this JVM's pid, so that {@link TestNet#removeStaleRules()} can
   * remove what a killed JVM left. Idempotent.
   */
  void openFirewall() {
    if (!rules.isEmpty()) {
      return;
    }
    for (String a : anycastAddresses()) {
      for (List<String> r : List.of(rule(net.subnet, a + "/32"), rule(a + "/32", net.subnet))) {
        List<String> insert = new ArrayList<>(List.of("iptables", "-I", "DOCKER-USER"));
        insert.addAll(r);
        Cmd.ok(Duration.ofSeconds(10), insert);
        rules.add(r);
      }
    }
  }

  private List<String> rule(String from, String to) {
    return List.of(
        "-i",
        bridge,
        "-o",
        bridge,
        "-s",
        from,
        "-d",
        to,
        "-m",
        "comment",
        "--comment",
        ruleComment(),
        "-j",
        "ACCEPT");
  }

  private String ruleComment() {
    return "hfit-fleet:" + session.substring(0, 8) + ":" + ProcessHandle.current().pid();
  }

  /** Removes the rules {@link #openFirewall()} added (each attempted, whatever fails). */
  void closeFirewall() {
    List<String> failed = new ArrayList<>();
    for (List<String> r : rules) {
      List<String> delete = new ArrayList<>(List.of("iptables", "-D", "DOCKER-USER"));
      delete.addAll(r);
      Cmd.Result res = Cmd.run(Duration.ofSeconds(10), delete);
      if (!res.ok()) {
        failed.add(String.join(" ", delete) + ": " + res.describe());
      }
    }
    rules.clear();
    if (!failed.isEmpty()) {
      throw new AssertionError("could not remove firewall rules: " + failed);
    }
  }

  /** The DOCKER-USER rules of this fleet now in place ({@code iptables -S} lines). */
  List<String> firewallRules() {
    String chain = Cmd.ok(Duration.ofSeconds(10), "iptables", "-S", "DOCKER-USER");
    String mark = "hfit-fleet:" + session.substring(0, 8) + ":";
    return chain.lines().filter(l -> l.contains(mark)).toList();
  }

  // --- consistency ---------------------------------------------------------------------------

  /** Containers of this site named like holdfast's set-aside or fresh replacements. */
  List<String> asides(Site s) {
    return DOCKER.names("name=" + s.group + "-").stream()
        .filter(n -> n.contains(".holdfast-old-") || n.contains(".holdfast-new-"))
        .toList();
  }

  /**
   * The site as it must be at rest, from the engine: holder running; app and router exactly once,
   * in the holder's namespace, running, the app healthy; nothing set aside.
   */
  void assertMembers(Site s) {
    JsonNode h = DOCKER.mustInspect(s.holder);
    assertThat(Docker.state(h)).as(s.holder + " state").isEqualTo("running");
    assertMember(s.app, h, true);
    assertMember(s.router, h, false);
    assertThat(asides(s)).as("set-aside containers of " + s).isEmpty();
  }

  /** {@link #assertMembers} and the peer has each of the site's prefixes from the site. */
  void assertConsistent(Site s) {
    assertMembers(s);
    Map<String, List<PeerRoute>> t = peerRoutes();
    for (String p : s.prefixes()) {
      assertThat(hasRouteVia(t, p, s))
          .as("peer has " + p + " via " + s + " (" + s.peerProtocol() + "); table " + t)
          .isTrue();
    }
  }

  /** Every site consistent. */
  void assertConsistent() {
    sites.values().forEach(this::assertConsistent);
  }

  void awaitConsistent(Duration within) {
    await("fleet " + name + " consistent")
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(this::assertConsistent);
  }

  private void assertMember(String member, JsonNode holderJson, boolean healthy) {
    assertThat(DOCKER.names("name=^/" + member + "$")).as("containers named " + member).hasSize(1);
    JsonNode c = DOCKER.mustInspect(member);
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

  /** Removes the site's holder and runs a new one like it (same name, labels and address). */
  void recreateHolder(Site s) {
    DOCKER.ok("rm", "-f", s.holder);
    runHolder(s);
  }

  // --- holdfast, when a test wants one -----------------------------------------------------

  /**
   * holdfast in this JVM managing the sites of one scope (null: the unscoped ones), with more
   * settings (e.g. {@code HOLDFAST_ETCD}); closed by {@link #close()}.
   */
  Holdfast holdfast(String scope, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    if (scope != null) {
      env.put("HOLDFAST_SCOPE", scope);
    }
    Path data = tmp.resolve("holdfast-" + holdfasts.size());
    Holdfast h = Holdfast.start(data, DOCKER.host(), env);
    holdfasts.add(h);
    return h;
  }

  /** Points the registry's notifications at these hook URLs, each with its secret (restarts it). */
  void notifyRegistryTo(List<Registry.Endpoint> endpoints) {
    registry.stop();
    registry.notifyTo(endpoints);
    registry.start();
  }

  /** Points the registry's notifications at these holdfasts' registry hooks (restarts it). */
  void notifyRegistryTo(Holdfast... targets) {
    List<Registry.Endpoint> endpoints = new ArrayList<>();
    for (Holdfast h : targets) {
      endpoints.add(new Registry.Endpoint(h.base() + "/hooks/registry", h.hookSecret));
    }
    registry.stop();
    registry.notifyTo(endpoints);
    registry.start();
  }

  /** Removes holdfast, the firewall rules, every container and network, and the registry. */
  @Override
  public void close() {
    List<Throwable> failures = new ArrayList<>();
    for (Holdfast h : holdfasts) {
      try {
        h.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    holdfasts.clear();
    try {
      closeFirewall();
    } catch (RuntimeException | AssertionError e) {
      failures.add(e);
    }
    try {
      if (DOCKER.answers()) {
        DOCKER.removeContainers("label=" + Docker.SESSION_LABEL + "=" + session);
        DOCKER.removeContainers("name=" + name);
        if (net == null) {
          DOCKER.run("network", "rm", name + "-net");
        } else {
          net.remove();
        }
      }
    } finally {
      registry.close();
      SeedGroup.deleteTree(tmp);
    }
    List<String> left = DOCKER.names("label=" + Docker.SESSION_LABEL + "=" + session);
    assertThat(left).as("containers of session " + session + " left after clean-up").isEmpty();
    assertThat(firewallRules()).as("firewall rules of " + name + " left").isEmpty();
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("clean-up of " + name + " failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
