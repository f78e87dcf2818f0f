package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real docker-registry whose notifications point at holdfast: a {@code docker
 * push} of a new image under the tag the app runs updates the group safely, with no other call.
 */
class RegistryHookIT {

  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("hook");
    holdfast = env.holdfast();
    env.stopRegistry();
    env.registry.notifyTo(holdfast.base() + "/hooks/registry", holdfast.hookSecret);
    env.startRegistry();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aPushOfTheAppsTagUpdatesTheGroupWithNoOtherCall() {
    String holderId = Docker.id(env.holder);
    String holderStarted = Docker.startedAt(env.holder);
    assertThat(holdfast.runs(env.group)).isEmpty();

    env.registry.publish("holdfast-test/app:v2", "hf/app:live");

    await("the push updated the group")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                holdfast.runs(env.group).stream()
                    .anyMatch(r -> r.path("state").asText().equals("succeeded")));
    List<JsonNode> runs = holdfast.runs(env.group);
    assertThat(runs).hasSize(1);
    JsonNode run = runs.get(0);
    assertThat(run.path("kind").asText()).isEqualTo("update");
    assertThat(run.path("trigger").asText())
        .isEqualTo("hook distribution push " + env.registry.host() + "/hf/app:live");
    assertThat(run.path("plan").asText()).contains("pull").doesNotContain("the pull got");
    assertThat(Docker.version(env.holder)).isEqualTo("v2");
    assertThat(Docker.id(env.holder)).isEqualTo(holderId);
    assertThat(Docker.startedAt(env.holder)).isEqualTo(holderStarted);
    assertThat(holdfast.attached(env.group, 2)).isTrue();
  }
}
