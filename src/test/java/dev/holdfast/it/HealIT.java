package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Holders replaced or restarted behind holdfast's back: it heals the group on its own. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealIT {

  private static final Duration HEAL_WITHIN = Duration.ofSeconds(90);
  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("heal");
    holdfast = env.holdfast();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void holderRecreatedOutOfBandIsHealed() {
    String oldHolder = Docker.id(env.holder);
    String oldApp = Docker.id(env.app);
    String oldRouter = Docker.id(env.router);

    String newHolder = env.recreateHolder();

    assertThat(newHolder).isNotEqualTo(oldHolder);
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(Docker.id(env.holder)).isEqualTo(newHolder);
    assertThat(Docker.id(env.app)).isNotEqualTo(oldApp);
    assertThat(Docker.id(env.router)).isNotEqualTo(oldRouter);
    assertThat(Docker.version(env.holder)).isEqualTo("v1");
    assertHealedWithoutApiRuns();
  }

  @Test
  @Order(2)
  void holderRestartIsHealed() {
    String holderId = Docker.id(env.holder);
    String oldApp = Docker.id(env.app);
    String started = Docker.startedAt(env.holder);

    Docker.ok("restart", env.holder);

    assertThat(Docker.id(env.holder)).isEqualTo(holderId);
    assertThat(Docker.startedAt(env.holder)).isNotEqualTo(started);
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(Docker.id(env.app)).as("app recreated").isNotEqualTo(oldApp);
    Instant holderStart = Instant.parse(Docker.startedAt(env.holder));
    assertThat(Instant.parse(Docker.startedAt(env.app))).isAfter(holderStart);
    assertThat(Instant.parse(Docker.startedAt(env.router))).isAfter(holderStart);
    assertThat(Docker.version(env.holder)).isEqualTo("v1");
    assertHealedWithoutApiRuns();
  }

  @Test
  @Order(3)
  void unlabelledGroupIsHealedFromMemory() {
    String holder = env.name + "-uholder";
    String app = env.name + "-uapp";
    List<String> holderArgs =
        List.of(
            "--restart",
            "unless-stopped",
            "--network",
            env.net.name,
            "--ip",
            env.net.host(11),
            "holdfast-test/holder:1");
    env.runContainer(holder, holderArgs);
    String oldApp =
        env.runContainer(
            app,
            List.of("--restart", "unless-stopped", "--network", "container:" + holder, env.appRef));
    await("holdfast lists the unlabelled group")
        .atMost(Duration.ofSeconds(30))
        .until(() -> holdfast.attached(holder, 1));
    await().atMost(Duration.ofSeconds(30)).until(() -> Docker.runningHealthy(app));

    Docker.ok("rm", "-f", holder);
    String newHolder = env.runContainer(holder, holderArgs);

    await("unlabelled group healed")
        .atMost(HEAL_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              env.assertMember(app, Docker.mustInspect(holder), true);
              assertThat(env.asides()).isEmpty();
              assertThat(Docker.version(holder)).isEqualTo("v1");
            });
    assertThat(Docker.id(holder)).isEqualTo(newHolder);
    assertThat(Docker.id(app)).isNotEqualTo(oldApp);
    assertThat(holdfast.attached(holder, 1)).isTrue();
    assertThat(holdfast.runs(holder))
        .isNotEmpty()
        .allMatch(r -> r.path("kind").asText().equals("heal"));
  }

  /** Every run so far was a heal that holdfast started itself, and the last one succeeded. */
  private static void assertHealedWithoutApiRuns() {
    List<JsonNode> runs = holdfast.runs(env.group);
    assertThat(runs).isNotEmpty();
    for (JsonNode r : runs) {
      assertThat(r.path("kind").asText()).as(r.toPrettyString()).isEqualTo("heal");
      assertThat(r.path("trigger").asText()).as(r.toPrettyString()).doesNotContain("api");
    }
    assertThat(runs).as("runs").anyMatch(r -> r.path("state").asText().equals("succeeded"));
  }
}
