package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.holdfast.testing.Cmd;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.Ports;
import dev.holdfast.testing.RealEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Compose example users copy, {@code examples/compose}: the anycast group (holder, app, BIRD
 * router), holdfast built from the repository's Dockerfile, and Watchtower set up as the README
 * recommends (members monitor-only with the pre-update veto, the holder left out, json.v1 reports
 * to holdfast's hook). Real Compose v1 (1.29) and v2 (2.40), both on bookworm's Docker 20.10.
 *
 * <p>{@code config} checks the whole file, Watchtower included, against the README's own snippets
 * and for documentation addresses only. The run brings up every service but Watchtower (its image
 * cannot be pulled here) with the test images and a free documentation subnet set through the
 * file's variables (an {@code .env} beside it, as users write one), adds an upstream BIRD peer and
 * the tests' labels in a second Compose file, runs the veto in the members as Watchtower runs it,
 * and posts, from the Compose network as Watchtower does, the bodies Watchtower (the maintained
 * fork the file names) sends for this set-up: the start-up notice, a report with nothing new, the
 * report with the app stale once a new image was pulled, and the next report with everything fresh.
 * The app must be updated safely: the peer loses the prefix before the app stops and has it again
 * after the gate, the holder stays, the members stay attached, and only the stale report starts a
 * run.
 */
@ExtendWith(RealEngine.class)
class ComposeExampleIT {

  static final Path EXAMPLE = HoldfastImage.repository().resolve("examples/compose");
  private static final Docker DOCKER = Docker.BOOKWORM;
  private static final String PREFIX = "192.0.2.53/32";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @BeforeAll
  static void image() {
    HoldfastImage.build();
  }

  /**
   * The file as shipped, with nothing but its two secrets: valid for both Compose versions, every
   * address a documentation one, Watchtower configured as the README says; without the secrets
   * Compose refuses it and names the variable.
   */
  @ParameterizedTest(name = "Compose {0}")
  @EnumSource(Compose.Version.class)
  void theShippedFileIsValidWithOnlyItsSecretsAndUsesDocumentationAddresses(Compose.Version version)
      throws IOException {
    Path dir = Files.createTempDirectory("hfex-config");
    try {
      copyTree(EXAMPLE, dir);
      Compose compose = new Compose(version, DOCKER, dir, "hfexconfig");
      Cmd.Result refused = compose.run("config");
      assertThat(refused.ok()).as("config without secrets: " + refused.describe()).isFalse();
      assertThat(refused.out() + refused.err()).contains("HOLDFAST_");

      String secret = "wt-" + UUID.randomUUID();
      Files.writeString(
          dir.resolve(".env"),
          "HOLDFAST_API_TOKEN=tok-"
              + UUID.randomUUID()
              + "\n"
              + "HOLDFAST_HOOK_SECRET_WATCHTOWER="
              + secret
              + "\n");
      String text = configText(compose);
      assertRecommended(config(text), secret, "dns");
      Matcher ip =
          Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/\\d+)?").matcher(text);
      List<String> addresses = new ArrayList<>();
      while (ip.find()) {
        addresses.add(ip.group());
      }
      assertThat(addresses)
          .as("addresses in the resolved file")
          .contains("198.51.100.4", "198.51.100.0/28", "127.0.0.1")
          .allSatisfy(
              a ->
                  assertThat(
                          a.equals("127.0.0.1")
                              || Stream.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
                                  .anyMatch(
                                      d ->
                                          TestNet.overlaps(d, a.contains("/") ? a : a + "/32")
                                              && prefixLength(a) >= 24))
                      .as(a + " is loopback or in a documentation range (RFC 5737)")
                      .isTrue());
      String bird = Files.readString(dir.resolve("bird/bird.conf"));
      assertThat(bird)
          .contains("router id 198.51.100.4;")
          .contains("neighbor 198.51.100.2 as 65000;")
          .contains("route " + PREFIX + " unreachable;")
          .contains("hold time 9;")
          .contains("connect delay time 2;")
          .doesNotContain("graceful restart on");
    } finally {
      SeedGroup.deleteTree(dir);
    }
  }

  @ParameterizedTest(name = "Compose {0}")
  @EnumSource(Compose.Version.class)
  void watchtowersReportsMakeHoldfastUpdateTheGroupSafely(Compose.Version version)
      throws IOException {
    DOCKER.requireVersion();
    Instant t0 = Instant.now();
    Example ex = new Example(version);
    Map<String, Long> took = new LinkedHashMap<>();
    try {
      // the whole file, Watchtower included, as the test set its variables
      Map<String, Object> cfg = config(configText(ex.example));
      assertRecommended(cfg, ex.secret, ex.group);
      assertThat(services(cfg))
          .containsOnlyKeys("holder", "app", "router", "holdfast", "watchtower");
      String hookUrl = env(cfg, "watchtower").get("WATCHTOWER_NOTIFICATION_URL").toString();
      assertThat(hookUrl).startsWith("generic+http://holdfast:8080/");
      took.put("config", lap(t0));

      // every service but Watchtower, and the upstream peer of the test's file
      Instant t1 = Instant.now();
      ex.compose.up("-d", "--no-build", "holder", "app", "router", "holdfast", "upstream");
      took.put("up", lap(t1));
      HoldfastClient holdfast = new HoldfastClient("http://" + ex.publish, ex.token);
      await("holdfast in its container answers on " + ex.publish)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(holdfast::answers);
      await("holdfast lists " + ex.holder)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> holdfast.attached(ex.holder, 2));
      await("holdfast announces " + PREFIX + " to the peer")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(ex::peerHasPrefix);
      assertThat(DOCKER.served(ex.holder)).isEqualTo("v1");
      took.put("ready", lap(t1));

      // the veto, run in each member as Watchtower runs it (sh -c, in the container)
      for (String member : List.of(ex.app, ex.router)) {
        String veto = DOCKER.label(member, "com.centurylinklabs.watchtower.lifecycle.pre-update");
        Cmd.Result r = DOCKER.exec(member, "sh", "-c", veto);
        assertThat(r.exit()).as("veto in " + member + ": " + r.describe()).isEqualTo(75);
        assertThat(r.err()).as("holdfast refused " + member).contains("409");
        String other = veto.replace("container=" + member + "&", "container=" + ex.peer + "&");
        Cmd.Result allowed = DOCKER.exec(member, "sh", "-c", other);
        assertThat(allowed.exit())
            .as("veto for a container holdfast does not manage: " + allowed.describe())
            .isZero();
      }

      String holderId = DOCKER.id(ex.holder);
      String holderStarted = DOCKER.startedAt(ex.holder);
      String routerId = DOCKER.id(ex.router);
      String v1 = shortImage(DOCKER.mustInspect(ex.app).path("Image").asText());
      String bird = shortImage(DOCKER.mustInspect(ex.router).path("Image").asText());

      // Watchtower starts, and its first poll finds nothing new
      assertNothingStarted(ex.notify(hookUrl, ex.startup()), "start-up");
      assertNothingStarted(ex.notify(hookUrl, ex.report(v1, v1, bird, false)), "nothing new");
      assertThat(holdfast.runs(ex.holder)).as("runs before the new image").isEmpty();

      // a new app image; Watchtower (monitor-only) pulls it and reports the app stale
      ex.registry.push("holdfast-test/app:v2", "hf/app:live");
      String v2 = shortImage(DOCKER.imageId(ex.appRef));
      assertThat(v2).isNotEqualTo(v1);
      Instant t2 = Instant.now();
      JsonNode run;
      JsonNode answer;
      String timeline;
      try (PeerSampler sampler = new PeerSampler(DOCKER, ex.peer, PREFIX, Duration.ofMinutes(3))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 3);
        Instant reported = Instant.now();
        answer = ex.notify(hookUrl, ex.report(v1, v2, bird, true));
        await("the update Watchtower's report asked for ends")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    !holdfast.runs(ex.holder).isEmpty()
                        && holdfast.runs(ex.holder).stream()
                            .noneMatch(
                                r -> HoldfastClient.UNDER_WAY.contains(r.path("state").asText())));
        List<JsonNode> replaced =
            holdfast.runs(ex.holder).stream()
                .map(r -> holdfast.run(r.path("id").asText()))
                .filter(r -> RunSteps.step(r, "stop").isPresent())
                .toList();
        assertThat(replaced)
            .as("runs that replaced the app: " + RunReport.runs(holdfast, ex.holder))
            .hasSize(1);
        run = replaced.get(0);
        await("route back at the peer").atMost(Duration.ofSeconds(30)).until(ex::peerHasPrefix);
        Instant back = Instant.now();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> !sampler.between(back, Instant.MAX).isEmpty());
        timeline = sampler.timeline();
        assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
        // safe order: the peer has no route from the proven withdrawal until the announce, which
        // comes after the new app passed its gate
        Instant withdrawn = RunSteps.ended(run, "withdraw");
        Instant stop = RunSteps.started(run, "stop");
        Instant gated = RunSteps.ended(run, "gate");
        Instant announce = RunSteps.started(run, "announce");
        assertThat(withdrawn).isBeforeOrEqualTo(stop);
        assertThat(gated).isBeforeOrEqualTo(announce);
        assertThat(
                sampler.samples().stream()
                    .filter(
                        s ->
                            s.answered()
                                && !s.at().isBefore(withdrawn)
                                && !s.end().isAfter(announce))
                    .toList())
            .as("peer samples while the app was replaced, timeline " + timeline)
            .noneMatch(PeerSampler.Sample::present);
        assertThat(sampler.samples().stream().filter(s -> s.end().isBefore(reported)).toList())
            .as("before the report, timeline " + timeline)
            .isNotEmpty()
            .allMatch(PeerSampler.Sample::present);
      }
      took.put("update", lap(t2));
      assertThat(answer.path("notices").toString()).contains("\"outcome\":\"updating\"");
      assertThat(run.path("trigger").asText()).containsIgnoringCase("watchtower");
      assertThat(run.path("plan").asText()).contains("pull      " + ex.app);
      assertThat(holdfast.runs(ex.holder))
          .as(RunReport.runs(holdfast, ex.holder))
          .allMatch(r -> r.path("state").asText().equals("succeeded"));

      // the group, updated safely
      assertThat(DOCKER.served(ex.holder)).isEqualTo("v2");
      assertThat(DOCKER.id(ex.holder)).as("holder").isEqualTo(holderId);
      assertThat(DOCKER.startedAt(ex.holder)).as("holder started").isEqualTo(holderStarted);
      assertThat(DOCKER.id(ex.router)).as("router, its image unchanged").isEqualTo(routerId);
      JsonNode app = DOCKER.mustInspect(ex.app);
      assertThat(app.path("Image").asText()).isEqualTo(DOCKER.imageId("holdfast-test/app:v2"));
      assertThat(Docker.health(app)).isEqualTo("healthy");
      assertThat(Docker.label(app, "com.docker.compose.service")).isEqualTo("app");
      assertThat(Docker.label(app, "com.centurylinklabs.watchtower.monitor-only"))
          .isEqualTo("true");
      for (String member : List.of(ex.app, ex.router)) {
        JsonNode c = DOCKER.mustInspect(member);
        assertThat(Docker.networkMode(c)).as(member).isEqualTo("container:" + holderId);
        assertThat(Docker.state(c)).as(member).isEqualTo("running");
      }
      await("holdfast sees the group whole, nothing set aside")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(holdfast.attached(ex.holder, 2)).isTrue();
                assertThat(ex.compose.names())
                    .containsExactlyInAnyOrder(
                        ex.holder, ex.app, ex.router, ex.holdfastContainer, ex.peer);
              });
      JsonNode group = holdfast.group(ex.holder).orElseThrow();
      assertThat(group.path("route").path("state").asText())
          .as(group.toString())
          .isEqualTo("announced");

      // Watchtower's next poll: everything fresh; nothing more happens
      int runs = holdfast.runs(ex.holder).size();
      assertNothingStarted(ex.notify(hookUrl, ex.report(v2, v2, bird, false)), "fresh again");
      assertThat(holdfast.runs(ex.holder)).hasSize(runs);
      System.out.printf(
          "[ComposeExampleIT] Compose %s: %s ms; peer timeline (100 ms, + present, - absent) %s;"
              + " runs:%s%n",
          version, took, timeline, RunReport.runs(holdfast, ex.holder));
    } finally {
      Instant t3 = Instant.now();
      ex.close();
      System.out.printf(
          "[ComposeExampleIT] Compose %s: down and clean-up %d ms, all %d s%n",
          version, lap(t3), Duration.between(t0, Instant.now()).toSeconds());
    }
  }

  /** Every notice of a hook answer was left alone. */
  private static void assertNothingStarted(JsonNode answer, String what) {
    assertThat(answer.path("notices").isArray()).as(what + ": " + answer).isTrue();
    for (JsonNode n : answer.path("notices")) {
      assertThat(n.path("outcome").asText()).as(what + ": " + n).isEqualTo("ignored");
    }
  }

  /**
   * What the README's Watchtower section recommends, as the resolved file says it: Watchtower's
   * settings exactly as in the README's snippet (the secret in place of {@code <secret>}), each
   * member monitor-only with the README's veto naming itself, the holder left out of Watchtower,
   * the router's route control.
   */
  @SuppressWarnings("unchecked")
  private static void assertRecommended(Map<String, Object> cfg, String secret, String group)
      throws IOException {
    String readme = Files.readString(HoldfastImage.repository().resolve("README.md"));
    Map<String, Object> watchtower = readmeYaml(readme, "WATCHTOWER_NOTIFICATION_URL");
    Map<String, Object> veto = readmeYaml(readme, "com.centurylinklabs.watchtower.lifecycle");
    Map<String, Object> env = env(cfg, "watchtower");
    ((Map<String, Object>) watchtower.get("environment"))
        .forEach(
            (k, v) ->
                assertThat(String.valueOf(env.get(k)))
                    .as("watchtower " + k)
                    .isEqualTo(v.toString().replace("<secret>", secret)));
    Map<String, Object> memberLabels = (Map<String, Object>) watchtower.get("labels");
    String vetoLabel = "com.centurylinklabs.watchtower.lifecycle.pre-update";
    String readmeVeto = ((Map<String, Object>) veto.get("labels")).get(vetoLabel).toString();
    for (String member : List.of("app", "router")) {
      Map<String, Object> labels = labels(cfg, member);
      memberLabels.forEach(
          (k, v) -> assertThat(String.valueOf(labels.get(k))).as(member + " " + k).isEqualTo(v));
      String name = group + (member.equals("app") ? "-app" : "-bird");
      assertThat(service(cfg, member).get("container_name")).isEqualTo(name);
      assertThat(String.valueOf(labels.get(vetoLabel)))
          .as(member + " veto")
          .isEqualTo(readmeVeto.replace("dns-net", name).replace("<secret>", secret));
      assertThat(service(cfg, member).get("network_mode")).isEqualTo("service:holder");
    }
    assertThat(labels(cfg, "holder"))
        .containsEntry("com.centurylinklabs.watchtower.enable", "false")
        .doesNotContainKey(vetoLabel)
        .doesNotContainKeys("holdfast.group", "holdfast.role");
    assertThat(labels(cfg, "app").keySet())
        .as("holdfast labels on the app: none the README asks for")
        .noneMatch(k -> k.startsWith("holdfast."));
    assertThat(labels(cfg, "router"))
        .containsEntry("holdfast.role", "router")
        .containsEntry("holdfast.route", "bird")
        .containsEntry("holdfast.bird.protocols", "anycast4")
        .containsEntry("holdfast.bird.peers", "upstream");
    assertThat(service(cfg, "holder").get("restart")).isEqualTo("always");
    Map<String, Object> hf = env(cfg, "holdfast");
    assertThat(hf).containsEntry("HOLDFAST_HOOK_SECRET_WATCHTOWER", secret);
    assertThat(hf.get("HOLDFAST_API_TOKEN")).isNotNull();
    assertThat(String.valueOf(service(cfg, "holdfast").get("volumes")))
        .contains("/var/run/docker.sock")
        .contains("/var/lib/holdfast");
  }

  /** The README's yaml block that mentions {@code key}, parsed. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> readmeYaml(String readme, String key) {
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (m.find()) {
      if (m.group(1).contains(key)) {
        return (Map<String, Object>) new Yaml().load(m.group(1));
      }
    }
    throw new AssertionError("no yaml block with " + key + " in README.md");
  }

  /** {@code config}'s output alone (Compose warns on stderr). */
  private static String configText(Compose compose) {
    Cmd.Result r = compose.run("config");
    assertThat(r.ok()).as("compose config: " + r.describe()).isTrue();
    return r.out();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(String text) {
    return (Map<String, Object>) new Yaml().load(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services(Map<String, Object> cfg) {
    return (Map<String, Object>) cfg.get("services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> cfg, String name) {
    Map<String, Object> s = (Map<String, Object>) services(cfg).get(name);
    assertThat(s).as("service " + name).isNotNull();
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(Map<String, Object> cfg, String name) {
    return (Map<String, Object>) service(cfg, name).getOrDefault("labels", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> cfg, String name) {
    return (Map<String, Object>) service(cfg, name).getOrDefault("environment", Map.of());
  }

  private static int prefixLength(String a) {
    return a.contains("/") ? Integer.parseInt(a.substring(a.indexOf('/') + 1)) : 32;
  }

  private static String shortImage(String id) {
    return id.replaceFirst("^sha256:", "").substring(0, 12);
  }

  private static long lap(Instant since) {
    return Duration.between(since, Instant.now()).toMillis();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /**
   * One copy of the example in a temp directory, its variables in an {@code .env} (the test images,
   * a free documentation /28, secrets of its own, a free loopback port for the API), its bird.conf
   * told those addresses, and a second file with the upstream peer and the tests' labels.
   */
  private static final class Example implements AutoCloseable {

    final Compose.Version version;
    final String project;
    final String group;
    final String holder;
    final String app;
    final String router;
    final String peer;
    final String holdfastContainer;
    final String watchtowerContainer;
    final String network;
    final String token = "tok-" + UUID.randomUUID();
    final String secret = "wt-" + UUID.randomUUID();
    final String session = UUID.randomUUID().toString();
    final String publish;
    final Registry registry;
    final String appRef;

    /** The example alone, and the example with the test's file. */
    final Compose example;

    final Compose compose;

    private final Path dir;
    private final String holderIp;
    private final String peerIp;

    Example(Compose.Version version) throws IOException {
      this.version = version;
      String id = session.substring(0, 6);
      project = ("hfex" + id + version).toLowerCase(Locale.ROOT);
      group = project;
      holder = group + "-net";
      app = group + "-app";
      router = group + "-bird";
      peer = group + "-upstream";
      String sep = version == Compose.Version.V1 ? "_" : "-";
      holdfastContainer = project + sep + "holdfast" + sep + "1";
      watchtowerContainer = project + sep + "watchtower" + sep + "1";
      network = project + "_anycast";
      dir = Files.createTempDirectory(project);
      copyTree(EXAMPLE, dir);
      String subnet = ComposeRecreateIT.freeSubnet();
      String base = subnet.substring(0, subnet.lastIndexOf('.') + 1);
      int first = Integer.parseInt(subnet.substring(base.length(), subnet.indexOf('/')));
      holderIp = base + (first + 4);
      peerIp = base + (first + 2);
      Path birdConf = dir.resolve("bird/bird.conf");
      Files.writeString(
          birdConf,
          Files.readString(birdConf)
              .replaceAll("198\\.51\\.100\\.4(?![\\d])", holderIp)
              .replaceAll("198\\.51\\.100\\.2(?![\\d])", peerIp));
      publish = "127.0.0.1:" + Ports.free();
      registry = new Registry(dir.resolve("registry"));
      try {
        registry.start();
        appRef = registry.push("holdfast-test/app:v1", "hf/app:live");
      } catch (RuntimeException | Error e) {
        registry.close();
        SeedGroup.deleteTree(dir);
        throw e;
      }
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("HOLDFAST_API_TOKEN", token);
      vars.put("HOLDFAST_HOOK_SECRET_WATCHTOWER", secret);
      vars.put("GROUP", group);
      vars.put("HOLDER_IMAGE", "holdfast-test/holder:1");
      vars.put("APP_IMAGE", appRef);
      vars.put("BIRD_IMAGE", "holdfast-test/bird:1");
      vars.put("HOLDFAST_IMAGE", HoldfastImage.IMAGE);
      vars.put("HOLDFAST_SRC", HoldfastImage.repository().toString());
      vars.put("HOLDFAST_BUILD_IMAGE", HoldfastImage.BUILD_BASE);
      vars.put("HOLDFAST_RUNTIME_IMAGE", HoldfastImage.RUNTIME_BASE);
      vars.put("ANYCAST_SUBNET", subnet);
      vars.put("ANYCAST_IP_RANGE", base + (first + 8) + "/29");
      vars.put("HOLDER_IP", holderIp);
      vars.put("HOLDFAST_PUBLISH", publish);
      StringBuilder env = new StringBuilder();
      vars.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
      Files.writeString(dir.resolve(".env"), env);
      Files.writeString(dir.resolve("docker-compose.test.yml"), testFile());
      example = new Compose(version, DOCKER, dir, project);
      compose = example.withFiles("docker-compose.yml", "docker-compose.test.yml");
    }

    /**
     * The test's additions: the upstream router (a BIRD peer with the README's peer timers, as
     * bird-start renders them) and the tests' labels on everything, so a killed JVM's leftovers are
     * removed ({@link Docker#removeStale}).
     */
    private String testFile() {
      List<String> labels =
          List.of(
              "      " + Docker.TEST_LABEL + ": \"true\"",
              "      " + Docker.SESSION_LABEL + ": \"" + session + "\"",
              "      " + Docker.PID_LABEL + ": \"" + ProcessHandle.current().pid() + "\"");
      List<String> lines = new ArrayList<>(List.of("services:"));
      for (String s : List.of("holder", "app", "router", "holdfast")) {
        lines.add("  " + s + ":");
        lines.add("    labels:");
        lines.addAll(labels);
      }
      lines.addAll(
          List.of(
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
              "    labels:"));
      lines.addAll(labels);
      // no labels on the network: Compose v1 takes a network of a later file whole, without the
      // example's ipam (Compose's own project label still finds it)
      lines.add("");
      return String.join("\n", lines);
    }

    boolean peerHasPrefix() {
      Cmd.Result r = DOCKER.exec(peer, "birdc", "-s", PeerSampler.SOCK, "show", "route");
      return r.ok() && r.out().contains(PREFIX);
    }

    /**
     * POSTs a body as Watchtower does, from a container on the Compose network to the URL of
     * WATCHTOWER_NOTIFICATION_URL ({@code generic+http://} is plain HTTP): Content-Type text/plain,
     * as the fork's shoutrrr sends a template's output. Holdfast's answer, which must be a 200.
     */
    JsonNode notify(String hookUrl, String body) {
      List<String> args = new ArrayList<>(List.of("run", "--rm"));
      args.addAll(Docker.labels(session));
      args.addAll(
          List.of(
              "--network",
              network,
              "holdfast-test/holder:1",
              "wget",
              "-q",
              "-O",
              "-",
              "-U",
              "Go-http-client/1.1",
              "--header",
              "Content-Type: text/plain",
              "--post-data",
              body,
              hookUrl.replaceFirst("^generic\\+", "")));
      Cmd.Result r = DOCKER.run(Duration.ofSeconds(60), args.toArray(String[]::new));
      assertThat(r.ok()).as("Watchtower's notification: " + r.describe()).isTrue();
      try {
        return JSON.readTree(r.out());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** json.v1 of the start-up notification: no report (its lines abbreviated). */
    String startup() {
      Map<String, Object> doc = new TreeMap<>();
      doc.put(
          "entries",
          List.of(
              entry("Watchtower", Map.of("version", "v1.21.0")),
              entry("Using notifications", Map.of("notify", "generic+http")),
              entry("Checking all containers (except explicitly disabled with label)", Map.of())));
      doc.put("host", "docker-host");
      doc.put("report", null);
      doc.put("title", "Watchtower updates on docker-host");
      return write(doc);
    }

    /**
     * json.v1 of one session as the fork sends it in this set-up: the app and the router scanned
     * (monitor-only), the holder and holdfast not (watchtower.enable=false), Watchtower itself
     * fresh; with {@code stale} the app's new image was found (a "Found new image" entry and the
     * app in {@code stale}), else everything is fresh. Names without the leading slash, short ids.
     */
    String report(String appCurrent, String appLatest, String birdImage, boolean stale) {
      Map<String, Object> appItem =
          item(app, DOCKER.id(app), appRef, appCurrent, appLatest, stale ? "Stale" : "Fresh");
      Map<String, Object> routerItem =
          item(router, DOCKER.id(router), "holdfast-test/bird:1", birdImage, birdImage, "Fresh");
      Map<String, Object> watchtowerItem =
          item(
              watchtowerContainer,
              "5e1f7a9c0b2d" + "0".repeat(52),
              "nickfedor/watchtower:latest",
              "0d6c2f9a7b31",
              "0d6c2f9a7b31",
              "Fresh");
      List<Map<String, Object>> scanned = List.of(appItem, routerItem, watchtowerItem);
      Map<String, Object> report = new TreeMap<>();
      report.put("failed", List.of());
      report.put("fresh", stale ? List.of(routerItem, watchtowerItem) : scanned);
      report.put("restarted", List.of());
      report.put("scanned", scanned);
      report.put("skipped", List.of());
      report.put("stale", stale ? List.of(appItem) : List.of());
      report.put("updated", List.of());
      Map<String, Object> doc = new TreeMap<>();
      doc.put(
          "entries",
          stale
              ? List.of(
                  entry(
                      "Found new image",
                      Map.of("container", app, "image", appRef, "new_id", appLatest)))
              : List.of());
      doc.put("host", "docker-host");
      doc.put("report", report);
      doc.put("title", "Watchtower updates on docker-host");
      return write(doc);
    }

    private static Map<String, Object> item(
        String name, String id, String image, String current, String latest, String state) {
      Map<String, Object> m = new TreeMap<>();
      m.put("currentImageId", current);
      m.put("id", id.substring(0, 12));
      m.put("imageName", image);
      m.put("latestImageId", latest);
      m.put("name", name);
      m.put("state", state);
      return m;
    }

    private static Map<String, Object> entry(String message, Map<String, Object> data) {
      Map<String, Object> m = new TreeMap<>();
      m.put("data", new TreeMap<>(data));
      m.put("level", "info");
      m.put("message", message);
      m.put("time", Instant.now().toString());
      return m;
    }

    private static String write(Object doc) {
      try {
        return JSON.writeValueAsString(doc);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code down -v} of both files, the registry and its tags, the directory. */
    @Override
    public void close() {
      try {
        compose.down();
      } finally {
        DOCKER.removeSession(session);
        registry.close();
        SeedGroup.deleteTree(dir);
      }
    }
  }
}
