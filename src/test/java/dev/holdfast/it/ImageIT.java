package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The top-level Dockerfile, built unmodified but for its two base arguments (Debian bookworm bases
 * made with mmdebstrap by src/test/docker/build-bases.sh, which setup-env runs: no public registry
 * here), and run as the README says: the engine socket mounted, a volume for the store, the token
 * from the environment. holdfast in its container updates and heals the seed group, passes its own
 * HEALTHCHECK, leaves its own container out of every group, and ends on docker stop within the stop
 * timeout with its store intact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {

  @RegisterExtension
  static final SeedGroup env = SeedGroup.of("image").router(SeedGroup.BIRD_ROUTE).withoutHoldfast();

  private static final Docker DOCKER = env.engine;
  static final String IMAGE = HoldfastImage.IMAGE;
  private static final String TOKEN = "image-it-" + UUID.randomUUID();

  private static String container;
  private static String volume;
  private static HoldfastClient holdfast;

  @BeforeAll
  static void buildAndRun() {
    HoldfastImage.build();
    container = env.name + "-holdfast";
    volume = env.name + "-data";
    List<String> labels = Docker.labels(env.session);
    List<String> vol = new ArrayList<>(List.of("volume", "create"));
    vol.addAll(labels);
    vol.add(volume);
    DOCKER.ok(vol.toArray(String[]::new));
    start();
  }

  /** `docker run` as the README has it, on the group's (internal, test-made) network. */
  private static void start() {
    List<String> args = new ArrayList<>(List.of("-d", "--name", container));
    args.addAll(
        List.of(
            "--network",
            env.net.name,
            "-v",
            "/var/run/docker.sock:/var/run/docker.sock",
            "-v",
            volume + ":/var/lib/holdfast",
            "-e",
            "HOLDFAST_API_TOKEN=" + TOKEN,
            "-e",
            "HOLDFAST_RECONCILE_INTERVAL=5s",
            IMAGE));
    DOCKER.runLabelled(env.session, args);
    String ip = DOCKER.ips(container).get(env.net.name);
    holdfast = new HoldfastClient("http://" + ip + ":8080", TOKEN);
    await("holdfast in its container answers")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(holdfast::answers);
  }

  @AfterAll
  static void removeVolume() {
    if (container != null) {
      DOCKER.run("rm", "-f", container);
    }
    if (volume != null) {
      DOCKER.run("volume", "rm", "-f", volume);
    }
  }

  @Test
  @Order(1)
  void itPassesItsOwnHealthcheckAndLeavesItsContainerOutOfEveryGroup() {
    JsonNode c = DOCKER.mustInspect(container);
    assertThat(c.at("/Config/Healthcheck/Test").toString())
        .as("exec form, holdfast's own probe")
        .startsWith("[\"CMD\",\"java\"")
        .contains("dev.holdfast.app.HealthProbe");
    await("docker says healthy")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> Docker.health(DOCKER.mustInspect(container)).equals("healthy"));

    String id = DOCKER.id(container);
    String logs = DOCKER.ok("logs", container);
    assertThat(logs).contains("running in container " + id.substring(0, 12));
    await().atMost(Duration.ofSeconds(30)).until(() -> holdfast.attached(env.group, 2));
    for (JsonNode g : HoldfastClient.ok(holdfast.get("/api/v1/groups"))) {
      assertThat(g.toString()).as("group " + g.path("name")).doesNotContain(container);
    }
  }

  @Test
  @Order(2)
  void itUpdatesTheGroupFromItsContainer() {
    env.registry.push("holdfast-test/app:v2", "hf/app:live");
    HoldfastClient.Response r = holdfast.update(env.group, "wait=true");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("state").asText())
        .as(r.body().toPrettyString())
        .isEqualTo("succeeded");
    assertThat(env.served()).isEqualTo("v2");
    env.awaitConsistent(Duration.ofSeconds(30));
  }

  @Test
  @Order(3)
  void itHealsTheGroupWhenItsHolderIsReplaced() {
    Instant replaced = Instant.now();
    env.recreateHolder();
    await("a heal from the container")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                holdfast.runs(env.group).stream()
                    .anyMatch(
                        run ->
                            run.path("kind").asText().equals("heal")
                                && Instant.parse(run.path("createdAt").asText()).isAfter(replaced)
                                && run.path("state").asText().equals("succeeded")));
    env.awaitConsistent(Duration.ofSeconds(60));
    assertThat(env.served()).isEqualTo("v2");
  }

  @Test
  @Order(4)
  void dockerStopEndsItWithinTheStopTimeoutAndItsStoreSurvives() {
    int runsBefore = holdfast.runs(env.group).size();
    assertThat(runsBefore).isGreaterThanOrEqualTo(2);
    Instant t0 = Instant.now();
    DOCKER.ok(Duration.ofSeconds(30), "stop", container); // docker's default: 10 s, then SIGKILL
    Duration took = Duration.between(t0, Instant.now());
    JsonNode state = DOCKER.mustInspect(container).path("State");
    System.out.printf(
        "[ImageIT] docker stop took %d ms, exit code %d%n",
        took.toMillis(), state.path("ExitCode").asInt());
    assertThat(took).isLessThan(Duration.ofSeconds(9));
    assertThat(state.path("OOMKilled").asBoolean()).isFalse();
    // SIGTERM ends the JVM through its shutdown hook: 143 is 128 + 15, never 137 (SIGKILL)
    assertThat(state.path("ExitCode").asInt()).isIn(0, 143);
    assertThat(DOCKER.ok("logs", "--tail", "20", container)).contains("stopping");

    DOCKER.ok("start", container);
    await("holdfast answers again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(holdfast::answers);
    assertThat(holdfast.runs(env.group)).hasSize(runsBefore);
    assertThat(DOCKER.ok("logs", container)).doesNotContain("integrity").doesNotContain("corrupt");
  }

  @Test
  @Order(5)
  void itRunsAsANonRootUserWithTheSocketsGroup() throws Exception {
    String gid =
        String.valueOf(
            java.nio.file.Files.getAttribute(
                Path.of("/var/run/docker.sock"),
                "unix:gid",
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
    String name = env.name + "-nonroot";
    String vol = env.name + "-data-nonroot";
    List<String> v = new ArrayList<>(List.of("volume", "create"));
    v.addAll(Docker.labels(env.session));
    v.add(vol);
    DOCKER.ok(v.toArray(String[]::new));
    try {
      DOCKER.runLabelled(
          env.session,
          "--name",
          name,
          "--user",
          "65534:65534",
          "--group-add",
          gid,
          "--network",
          env.net.name,
          "-v",
          "/var/run/docker.sock:/var/run/docker.sock",
          "-v",
          vol + ":/var/lib/holdfast",
          "-e",
          "HOLDFAST_API_TOKEN=" + TOKEN,
          "-e",
          "HOLDFAST_SCOPE=nonroot", // it only reads: no group of this scope exists
          IMAGE);
      HoldfastClient nonroot =
          new HoldfastClient("http://" + DOCKER.ips(name).get(env.net.name) + ":8080", TOKEN);
      await("holdfast as nobody answers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(nonroot::answers);
      assertThat(DOCKER.ok("exec", name, "id", "-u").strip()).isEqualTo("65534");
      assertThat(HoldfastClient.ok(nonroot.get("/api/v1/groups")).isArray()).isTrue();
      assertThat(DOCKER.ok("logs", name)).contains("connected to Docker");
    } finally {
      DOCKER.run("rm", "-f", name);
      DOCKER.run("volume", "rm", "-f", vol);
    }
  }
}
