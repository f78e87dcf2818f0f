package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An image that never passes its health gate: holdfast rolls back to the v1 container. On
 * bookworm's engine; {@link RollbackSidIT} on sid's.
 */
class RollbackIT extends SeedScenario {

  @Override
  SeedGroup seed(Docker engine) {
    return SeedGroup.of("rb", engine);
  }

  @Test
  void brokenImageIsRolledBackAndTheRouteAnnouncedAgain() {
    JsonNode before = env.engine.mustInspect(env.app);
    String holderId = env.engine.id(env.holder);
    env.registry.publish("holdfast-test/app:broken", "hf/app:live");

    JsonNode run = env.holdfast.update(env.group, "wait=true").body();

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("rolled-back");
    assertThat(run.path("error").asText()).as(run.toPrettyString()).contains("gate", env.app);
    JsonNode after = env.engine.mustInspect(env.app);
    assertThat(after.path("Id").asText())
        .as("the v1 container itself is back")
        .isEqualTo(before.path("Id").asText());
    assertThat(after.path("Image").asText())
        .isEqualTo(before.path("Image").asText())
        .isEqualTo(env.engine.imageId("holdfast-test/app:v1"));
    assertThat(Docker.networkMode(after)).isEqualTo("container:" + holderId);
    assertThat(env.served()).isEqualTo("v1");
    assertThat(env.engine.id(env.holder)).isEqualTo(holderId);
    env.awaitConsistent(Duration.ofSeconds(30));
    assertThat(env.engine.names("name=" + env.name, "ancestor=holdfast-test/app:broken")).isEmpty();
  }
}
