package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real docker-registry whose notifications point at holdfast: a {@code docker
 * push} of a new image under the tag the app runs updates the group safely, with no other call. On
 * bookworm's engine; {@link RegistryHookSidIT} on sid's.
 */
class RegistryHookIT extends SeedScenario {

  @Override
  SeedGroup seed(Docker engine) {
    return SeedGroup.of("hook", engine)
        .afterHoldfast(
            e -> {
              e.stopRegistry();
              e.registry.notifyTo(e.holdfast.base() + "/hooks/registry", e.holdfast.hookSecret);
              e.startRegistry();
            });
  }

  @Test
  void aPushOfTheAppsTagUpdatesTheGroupWithNoOtherCall() {
    String holderId = env.engine.id(env.holder);
    String holderStarted = env.engine.startedAt(env.holder);
    assertThat(env.holdfast.runs(env.group)).isEmpty();

    // push, not publish: publish puts the old image back under the local tag after the push, and
    // a run that pulled in between saw the tag on the old image and found nothing to do (seen on
    // sid's containerd store in CI); the group still runs v1, so the run has work either way
    env.registry.push("holdfast-test/app:v2", "hf/app:live");

    env.awaitRuns(
        "the push updated the group",
        runs -> runs.stream().anyMatch(r -> r.path("state").asText().equals("succeeded")));
    List<JsonNode> runs = env.holdfast.runs(env.group);
    assertThat(runs).hasSize(1);
    JsonNode run = runs.get(0);
    assertThat(run.path("kind").asText()).isEqualTo("update");
    assertThat(run.path("trigger").asText())
        .isEqualTo("hook distribution push " + env.registry.host() + "/hf/app:live");
    assertThat(run.path("plan").asText()).contains("pull").doesNotContain("the pull got");
    assertThat(env.served()).isEqualTo("v2");
    assertThat(env.engine.id(env.holder)).isEqualTo(holderId);
    assertThat(env.engine.startedAt(env.holder)).isEqualTo(holderStarted);
    assertThat(env.holdfast.attached(env.group, 2)).isTrue();
  }
}
