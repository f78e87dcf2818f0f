package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import dev.holdfast.testing.RealEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * An update from a registry that requires a login (Debian's {@code docker-registry} with htpasswd,
 * on loopback): without credentials, and with a wrong password, the run fails at the pull, before
 * anything is stopped, with a message that names the registry and says "unauthorized"; with the
 * {@code config.json} that {@code docker login} wrote, given through {@code
 * HOLDFAST_DOCKER_CONFIG}, the update goes through. The password never reaches a log line or an API
 * answer. The group (a holder and its app, no network but their namespace) has a scope of its own:
 * no other holdfast on this engine touches it, and this class's holdfast touches nothing else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivateRegistryIT {

  private static final Docker DOCKER = Docker.local();
  private static final String SESSION = "preg-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String GROUP = "hfit-" + SESSION;
  private static final String APP = GROUP + "-app";
  private static final String USER = "alice";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final String WRONG = "wrong-" + UUID.randomUUID();

  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final Logger root =
      (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private static Path tmp;
  private static Registry registry;
  private static Path loggedIn;
  private static String ref;
  private static String appId;

  @BeforeAll
  static void up() throws IOException {
    RealEngine.ready();
    logs.start();
    root.addAppender(logs);
    tmp = Files.createTempDirectory(SESSION + "-");
    registry = new Registry(tmp.resolve("registry"));
    loggedIn = registry.requireLogin(USER, PASSWORD);
    registry.start();
    ref = registry.push("holdfast-test/app:v1", "hf/app:live");
    DOCKER.runLabelled(
        SESSION,
        "--name",
        GROUP,
        "--label",
        "holdfast.scope=" + SESSION,
        "--network",
        "none",
        "--restart",
        "always",
        "holdfast-test/holder:1");
    appId =
        DOCKER.runLabelled(
            SESSION,
            "--name",
            APP,
            "--network",
            "container:" + GROUP,
            "--restart",
            "unless-stopped",
            ref);
    await("app healthy").atMost(Duration.ofSeconds(30)).until(() -> DOCKER.runningHealthy(APP));
    // v2 as another machine pushes it: the local tag still names v1, holdfast has to pull
    registry.publish("holdfast-test/app:v2", "hf/app:live");
    assertThat(Files.readString(loggedIn.resolve("config.json"))).contains(registry.host());
  }

  @AfterAll
  static void down() {
    root.detachAppender(logs);
    DOCKER.removeSession(SESSION);
    if (registry != null) {
      registry.close();
    }
    if (tmp != null) {
      SeedGroup.deleteTree(tmp);
    }
  }

  /** holdfast for this group alone, with these settings of its registry credentials. */
  private static Holdfast holdfast(String name, Map<String, String> credentials) {
    Map<String, String> env = new java.util.HashMap<>(credentials);
    env.put("HOLDFAST_SCOPE", SESSION);
    Holdfast h = Holdfast.start(tmp.resolve("data-" + name), DOCKER.host(), env);
    await("holdfast lists " + GROUP)
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.attached(GROUP, 1));
    return h;
  }

  private static Map<String, String> containers() {
    Map<String, String> out = new TreeMap<>();
    for (String n : DOCKER.names("label=" + Docker.SESSION_LABEL + "=" + SESSION)) {
      DOCKER.inspect(n).ifPresent(c -> out.put(n, Snapshot.describe(c)));
    }
    return out;
  }

  /** An update that must fail at the pull, touching nothing; its run's error. */
  private static String refusedUpdate(Holdfast h) {
    Map<String, String> before = containers();
    HoldfastClient.Response dry = h.update(GROUP, "dryRun=true");
    JsonNode run = h.update(GROUP, "wait=true").body();

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("failed");
    String error = run.path("error").asText();
    assertThat(error)
        .as(run.toPrettyString())
        .startsWith("pull " + ref + ": registry " + registry.host() + " answered unauthorized")
        .doesNotContain("Exception", "\tat ");
    for (JsonNode step : run.path("steps")) {
      assertThat(step.path("state").asText()).as(step.toString()).isNotEqualTo("done");
    }
    assertThat(dry.status()).as(dry.body().toString()).isEqualTo(503);
    assertThat(dry.body().path("error").asText())
        .startsWith(
            "digest of " + ref + ": registry " + registry.host() + " answered unauthorized");
    assertThat(containers()).isEqualTo(before);
    assertThat(DOCKER.id(APP)).isEqualTo(appId);
    assertThat(Docker.state(DOCKER.mustInspect(APP))).isEqualTo("running");
    assertThat(DOCKER.served(GROUP)).isEqualTo("v1");
    assertNoSecretIn(h, run.toString() + dry.body());
    return error;
  }

  /** Neither the password nor a wrong one in what the API answered, or any log line. */
  private static void assertNoSecretIn(Holdfast h, String answered) {
    String all =
        answered
            + h.get("/api/v1/groups").body()
            + h.get("/api/v1/groups/" + GROUP).body()
            + h.get("/api/v1/runs?limit=100&group=" + GROUP).body()
            + String.join("\n", logged());
    assertThat(all).doesNotContain(PASSWORD, WRONG);
  }

  private static List<String> logged() {
    List<String> out = new ArrayList<>();
    synchronized (logs) {
      for (ILoggingEvent e : List.copyOf(logs.list)) {
        out.add(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
          out.add(t.getMessage());
        }
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void withoutCredentialsTheUpdateFailsBeforeAnythingIsStopped() {
    Path nothing = tmp.resolve("no-docker-config");
    try (Holdfast h = holdfast("none", Map.of("HOLDFAST_DOCKER_CONFIG", nothing.toString()))) {
      String error = refusedUpdate(h);

      assertThat(error).contains("without a login: none for " + registry.host(), "no basic auth");
    }
  }

  @Test
  @Order(2)
  void withAWrongPasswordTheUpdateFailsBeforeAnythingIsStopped() {
    try (Holdfast h =
        holdfast(
            "wrong",
            Map.of(
                "HOLDFAST_REGISTRY_AUTH",
                registry.host() + "=" + USER + ":" + WRONG,
                "HOLDFAST_DOCKER_CONFIG",
                loggedIn.toString()))) {
      String error = refusedUpdate(h);

      assertThat(error)
          .as("the setting comes before config.json")
          .contains("to the login for " + registry.host() + " from HOLDFAST_REGISTRY_AUTH");
    }
  }

  @Test
  @Order(3)
  void withTheConfigJsonDockerLoginWroteTheUpdateGoesThrough() {
    String v2 = DOCKER.imageId("holdfast-test/app:v2");
    try (Holdfast h = holdfast("ok", Map.of("HOLDFAST_DOCKER_CONFIG", loggedIn.toString()))) {
      HoldfastClient.Response dry = h.update(GROUP, "dryRun=true");
      assertThat(dry.status()).as(dry.body().toString()).isEqualTo(200);
      assertThat(dry.body().path("plan").asText()).contains("pull");

      JsonNode run = h.update(GROUP, "wait=true").body();

      assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("succeeded");
      JsonNode app = DOCKER.mustInspect(APP);
      assertThat(app.path("Image").asText()).isEqualTo(v2);
      assertThat(app.path("Id").asText()).isNotEqualTo(appId);
      assertThat(Docker.networkMode(app)).isEqualTo("container:" + DOCKER.id(GROUP));
      assertThat(DOCKER.served(GROUP)).isEqualTo("v2");
      assertThat(h.attached(GROUP, 1)).isTrue();
      assertNoSecretIn(h, run.toString() + dry.body());
    }
  }
}
