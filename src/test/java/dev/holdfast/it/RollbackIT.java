package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An image that never passes its health gate: holdfast rolls back to the v1 container. */
class RollbackIT {

  private static TestEnv env;
  private static Holdfast holdfast;

  @BeforeAll
  static void up() {
    env = TestEnv.start("rb");
    holdfast = env.holdfast();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void brokenImageIsRolledBackAndTheRouteAnnouncedAgain() {
    JsonNode before = Docker.mustInspect(env.app);
    String holderId = Docker.id(env.holder);
    env.registry.publish("holdfast-test/app:broken", "hf/app:live");

    JsonNode run = holdfast.update(env.group, "wait=true").body();

    assertThat(run.path("state").asText()).as(run.toPrettyString()).isEqualTo("rolled-back");
    assertThat(run.path("error").asText()).as(run.toPrettyString()).contains("gate", env.app);
    JsonNode after = Docker.mustInspect(env.app);
    assertThat(after.path("Id").asText())
        .as("the v1 container itself is back")
        .isEqualTo(before.path("Id").asText());
    assertThat(after.path("Image").asText())
        .isEqualTo(before.path("Image").asText())
        .isEqualTo(Docker.imageId("holdfast-test/app:v1"));
    assertThat(Docker.networkMode(after)).isEqualTo("container:" + holderId);
    assertThat(Docker.version(env.holder)).isEqualTo("v1");
    assertThat(Docker.id(env.holder)).isEqualTo(holderId);
    env.awaitConsistent(Duration.ofSeconds(30));
    assertThat(Docker.names("name=" + env.name, "ancestor=holdfast-test/app:broken")).isEmpty();
  }
}
