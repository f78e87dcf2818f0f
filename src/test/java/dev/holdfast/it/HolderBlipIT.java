package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deterministic twin of {@link EngineRestartIT}: what an engine restart does to a group (the
 * holder stops, then its restart policy brings it back) happens while an update gates its app. The
 * app's probe takes 2 s ({@code exec:sleep 2}), so the holder is stopped well inside the gate.
 * holdfast must end the run (any end: it may give up while the holder is down) and, once the holder
 * runs again, bring the group back: members running in its namespace, route announced.
 */
class HolderBlipIT {

  @RegisterExtension
  static final SeedGroup env = SeedGroup.of("blip").app("--label", "holdfast.health=exec:sleep 2");

  @Test
  void holderStoppedDuringTheGateAndBackSecondsLater() {
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");
    String id = env.holdfast.update(env.group, "").body().path("id").asText();
    await("gate running")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> running(env.holdfast.run(id), "gate"));

    Instant stopAt = Instant.now();
    env.engine.ok("stop", env.holder);
    Instant stopped = Instant.now();
    try {
      // the holder comes back when the run gave up, or after 10 s if holdfast waits for it
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !env.holdfast.underWay(id));
    } catch (ConditionTimeoutException e) {
      // holdfast is waiting for the holder: fine, it comes back now
    }
    Instant startAt = Instant.now();
    env.engine.ok("start", env.holder);
    System.out.printf(
        "[HolderBlipIT] holder stop %s-%s, start %s-%s%n", stopAt, stopped, startAt, Instant.now());

    JsonNode run = env.holdfast.awaitEnd(id, Duration.ofMinutes(3), Duration.ofMillis(500));
    System.out.println(
        "[HolderBlipIT] run "
            + id
            + " "
            + run.path("state").asText()
            + "\n"
            + RunReport.steps(run));
    SoftAssertions soft = new SoftAssertions();
    // the holder restarted under the run: never a success with the app in its old namespace
    soft.assertThat(run.path("state").asText())
        .as(run.path("error").asText())
        .isIn("rolled-back", "failed");
    soft.assertThat(run.path("error").asText())
        .as("the run says why")
        .containsAnyOf(
            "stopped during the run",
            "restarted during the run",
            "not running",
            "sits in the old namespace");
    try {
      env.awaitConsistent(Duration.ofSeconds(90));
      soft.assertThat(env.holdfast.runs(env.group))
          .as("the follow-up of run " + id)
          .anySatisfy(
              r -> {
                assertThat(r.path("trigger").asText()).isEqualTo("follow-up of run " + id);
                assertThat(r.path("state").asText()).isEqualTo("succeeded");
              });
    } catch (AssertionError e) {
      soft.fail("group not consistent within 90 s after the holder came back: " + e.getMessage());
    } finally {
      System.out.println(
          "[HolderBlipIT] then:\n"
              + RunReport.containers(env)
              + "runs:"
              + RunReport.runs(env.holdfast, env.group));
    }
    soft.assertAll();
  }

  private static boolean running(JsonNode run, String verb) {
    for (JsonNode s : run.path("steps")) {
      if (s.path("step").asText().startsWith(verb) && s.path("state").asText().equals("running")) {
        return true;
      }
    }
    assertThat(run.path("state").asText())
        .as("run ended before " + verb)
        .isIn(HoldfastClient.UNDER_WAY);
    return false;
  }
}
