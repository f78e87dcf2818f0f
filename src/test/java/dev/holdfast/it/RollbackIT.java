package dev.holdfast.it;

import static dev.holdfast.it.SeedGroup.DOCKER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An image that never passes its health gate: holdfast rolls back to the v1 container. */
class RollbackIT {

  @RegisterExtension static final SeedGroup env = SeedGroup.of("rb");

  @Test
  void brokenImageIsRolledBackAndTheRouteAnnouncedAgain() {
    JsonNode before = DOCKER.mustInspect(env.app);
    String holderId = DOCKER.id(env.holder);
    env.registry.publish("holdfast-test/app:broken", "hf/app:live");

    JsonNode run = env.holdfast.update(env.group, "wait=true").body();

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("rolled-back");
    assertThat(run.path("error").asText()).as(run.toPrettyString()).contains("gate", env.app);
    JsonNode after = DOCKER.mustInspect(env.app);
    assertThat(after.path("Id").asText())
        .as("the v1 container itself is back")
        .isEqualTo(before.path("Id").asText());
    assertThat(after.path("Image").asText())
        .isEqualTo(before.path("Image").asText())
        .isEqualTo(DOCKER.imageId("holdfast-test/app:v1"));
    assertThat(Docker.networkMode(after)).isEqualTo("container:" + holderId);
    assertThat(env.served()).isEqualTo("v1");
    assertThat(DOCKER.id(env.holder)).isEqualTo(holderId);
    env.awaitConsistent(Duration.ofSeconds(30));
    assertThat(DOCKER.names("name=" + env.name, "ancestor=holdfast-test/app:broken")).isEmpty();
  }
}
