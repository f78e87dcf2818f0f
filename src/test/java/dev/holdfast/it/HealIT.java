package dev.holdfast.it;

import static dev.holdfast.it.SeedGroup.DOCKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Holders replaced or restarted behind holdfast's back: it heals the group on its own. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealIT {

  private static final Duration HEAL_WITHIN = Duration.ofSeconds(90);

  @RegisterExtension static final SeedGroup env = SeedGroup.of("heal");

  /** The ids of the seed group's containers, as they are when it is made. */
  private record Ids(String holder, String app, String router) {
    static Ids now() {
      return new Ids(DOCKER.id(env.holder), DOCKER.id(env.app), DOCKER.id(env.router));
    }
  }

  @Test
  @Order(1)
  void holderRecreatedOutOfBandIsHealed() {
    Ids old = Ids.now();

    String newHolder = env.recreateHolder();

    assertThat(newHolder).isNotEqualTo(old.holder());
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(DOCKER.id(env.holder)).isEqualTo(newHolder);
    assertThat(DOCKER.id(env.app)).isNotEqualTo(old.app());
    assertThat(DOCKER.id(env.router)).isNotEqualTo(old.router());
    assertThat(env.served()).isEqualTo("v1");
    assertHealedWithoutApiRuns();
  }

  @Test
  @Order(2)
  void holderRestartIsHealed() {
    Ids old = Ids.now();
    String started = DOCKER.startedAt(env.holder);

    DOCKER.ok("restart", env.holder);

    assertThat(DOCKER.id(env.holder)).isEqualTo(old.holder());
    assertThat(DOCKER.startedAt(env.holder)).isNotEqualTo(started);
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(DOCKER.id(env.app)).as("app recreated").isNotEqualTo(old.app());
    Instant holderStart = Instant.parse(DOCKER.startedAt(env.holder));
    assertThat(Instant.parse(DOCKER.startedAt(env.app))).isAfter(holderStart);
    assertThat(Instant.parse(DOCKER.startedAt(env.router))).isAfter(holderStart);
    assertThat(env.served()).isEqualTo("v1");
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
        .until(() -> env.holdfast.attached(holder, 1));
    await().atMost(Duration.ofSeconds(30)).until(() -> DOCKER.runningHealthy(app));

    DOCKER.ok("rm", "-f", holder);
    String newHolder = env.runContainer(holder, holderArgs);

    await("unlabelled group healed")
        .atMost(HEAL_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              env.assertMember(app, DOCKER.mustInspect(holder), true);
              assertThat(env.asides()).isEmpty();
              assertThat(DOCKER.served(holder)).isEqualTo("v1");
            });
    assertThat(DOCKER.id(holder)).isEqualTo(newHolder);
    assertThat(DOCKER.id(app)).isNotEqualTo(oldApp);
    assertThat(env.holdfast.attached(holder, 1)).isTrue();
    assertThat(env.holdfast.runs(holder))
        .isNotEmpty()
        .allMatch(r -> r.path("kind").asText().equals("heal"));
  }

  /** Every run so far was a heal that holdfast started itself, and the last one succeeded. */
  private static void assertHealedWithoutApiRuns() {
    List<JsonNode> runs = env.holdfast.runs(env.group);
    assertThat(runs).isNotEmpty();
    for (JsonNode r : runs) {
      assertThat(r.path("kind").asText()).as(r.toPrettyString()).isEqualTo("heal");
      assertThat(r.path("trigger").asText()).as(r.toPrettyString()).doesNotContain("api");
    }
    assertThat(runs).as("runs").anyMatch(r -> r.path("state").asText().equals("succeeded"));
  }
}
