package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry is down when an update starts: the run fails before anything is touched. */
class RegistryDownIT {

  @RegisterExtension static final SeedGroup env = SeedGroup.of("reg");

  @Test
  void updateFailsOnThePullAndNothingIsStoppedOrWithdrawn() {
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");
    env.stopRegistry();
    assertThat(env.registry.answers()).isFalse();
    Map<String, String> before = Snapshot.of(env);
    String appImage = env.engine.mustInspect(env.app).path("Image").asText();
    JsonNode run;
    try (PeerSampler sampler = env.sampler(Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 5);
      run = env.holdfast.update(env.group, "wait=true").body();
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
    assertThat(env.engine.mustInspect(env.app).path("Image").asText()).isEqualTo(appImage);
    assertThat(Docker.state(env.engine.mustInspect(env.router))).isEqualTo("running");
    assertThat(env.served()).isEqualTo("v1");
    assertThat(env.peerHasPrefix()).isTrue();

    env.startRegistry(); // same port, same data: the update now goes through
    JsonNode retry = env.holdfast.update(env.group, "wait=true").body();
    assertThat(retry.path("state").asText()).as(retry.toPrettyString()).isEqualTo("succeeded");
    assertThat(env.served()).isEqualTo("v2");
    env.awaitConsistent(Duration.ofSeconds(30));
  }
}
