package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry is down when an update starts: the run fails before anything is touched. */
class RegistryDownIT {

  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("reg");
    holdfast = env.holdfast();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void updateFailsOnThePullAndNothingIsStoppedOrWithdrawn() {
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");
    env.stopRegistry();
    assertThat(env.registry.answers()).isFalse();
    Map<String, String> before = Snapshot.of(env);
    String appImage = Docker.mustInspect(env.app).path("Image").asText();
    JsonNode run;
    try (PeerSampler sampler = env.sampler(Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 5);
      run = holdfast.update(env.group, "wait=true").body();
      int seen = sampler.samples().size();
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= seen + 5);
      assertThat(sampler.samples())
          .as("peer throughout the run: " + sampler.timeline())
          .isNotEmpty()
          .allMatch(s -> s.answered() && s.present());
    }

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("failed");
    assertThat(run.path("error").asText()).as(run.toPrettyString()).contains("pull");
    for (JsonNode step : run.path("steps")) {
      assertThat(step.path("state").asText()).as(step.toString()).isNotEqualTo("done");
    }
    assertThat(Snapshot.of(env)).isEqualTo(before);
    assertThat(Docker.mustInspect(env.app).path("Image").asText()).isEqualTo(appImage);
    assertThat(Docker.state(Docker.mustInspect(env.router))).isEqualTo("running");
    assertThat(Docker.version(env.holder)).isEqualTo("v1");
    assertThat(env.peerHasPrefix()).isTrue();

    env.startRegistry(); // same port, same data: the update now goes through
    JsonNode retry = holdfast.update(env.group, "wait=true").body();
    assertThat(retry.path("state").asText()).as(retry.toPrettyString()).isEqualTo("succeeded");
    assertThat(Docker.version(env.holder)).isEqualTo("v2");
    env.awaitConsistent(Duration.ofSeconds(30));
  }
}
