package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Holders replaced or restarted behind holdfast's back: it heals the group on its own. On
 * bookworm's engine; {@link HealSidIT} on sid's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealIT extends SeedScenario {

  private static final Duration HEAL_WITHIN = Duration.ofSeconds(90);

  @Override
  SeedGroup seed(Docker engine) {
    return SeedGroup.of("heal", engine);
  }

  /** The ids of the seed group's containers. */
  private record Ids(String holder, String app, String router) {}

  /** The ids of the seed group's containers now. */
  private Ids ids() {
    return new Ids(env.engine.id(env.holder), env.engine.id(env.app), env.engine.id(env.router));
  }

  @Test
  @Order(1)
  void holderRecreatedOutOfBandIsHealed() {
    Ids old = ids();

    String newHolder = env.recreateHolder();

    assertThat(newHolder).isNotEqualTo(old.holder());
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(env.engine.id(env.holder)).isEqualTo(newHolder);
    assertThat(env.engine.id(env.app)).isNotEqualTo(old.app());
    assertThat(env.engine.id(env.router)).isNotEqualTo(old.router());
    assertThat(env.served()).isEqualTo("v1");
    assertHealedWithoutApiRuns();
  }

  @Test
  @Order(2)
  void holderRestartIsHealed() {
    Ids old = ids();
    String started = env.engine.startedAt(env.holder);

    env.engine.ok("restart", env.holder);

    assertThat(env.engine.id(env.holder)).isEqualTo(old.holder());
    assertThat(env.engine.startedAt(env.holder)).isNotEqualTo(started);
    env.awaitConsistent(HEAL_WITHIN);
    assertThat(env.engine.id(env.app)).as("app recreated").isNotEqualTo(old.app());
    Instant holderStart = Instant.parse(env.engine.startedAt(env.holder));
    assertThat(Instant.parse(env.engine.startedAt(env.app))).isAfter(holderStart);
    assertThat(Instant.parse(env.engine.startedAt(env.router))).isAfter(holderStart);
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
    await().atMost(Duration.ofSeconds(30)).until(() -> env.engine.runningHealthy(app));

    env.engine.ok("rm", "-f", holder);
    String newHolder = env.runContainer(holder, holderArgs);

    await("unlabelled group healed")
        .atMost(HEAL_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              env.assertMember(app, env.engine.mustInspect(holder), true);
              assertThat(env.asides()).isEmpty();
              assertThat(env.engine.served(holder)).isEqualTo("v1");
            });
    assertThat(env.engine.id(holder)).isEqualTo(newHolder);
    assertThat(env.engine.id(app)).isNotEqualTo(oldApp);
    assertThat(env.holdfast.attached(holder, 1)).isTrue();
    assertThat(env.holdfast.runs(holder))
        .isNotEmpty()
        .allMatch(r -> r.path("kind").asText().equals("heal"));
  }

  /** Every run so far was a heal that holdfast started itself, and the last one succeeded. */
  private void assertHealedWithoutApiRuns() {
    List<JsonNode> runs = env.holdfast.runs(env.group);
    assertThat(runs).isNotEmpty();
    for (JsonNode r : runs) {
      assertThat(r.path("kind").asText()).as(r.toPrettyString()).isEqualTo("heal");
      assertThat(r.path("trigger").asText()).as(r.toPrettyString()).doesNotContain("api");
    }
    assertThat(runs).as("runs").anyMatch(r -> r.path("state").asText().equals("succeeded"));
  }
}
