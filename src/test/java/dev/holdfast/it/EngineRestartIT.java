package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dockerd goes away in the middle of an update (no live-restore, so it takes the containers down):
 * the run must end, and holdfast must bring the group back to a consistent, announced state. Each
 * case gets a fresh group; the engine is restarted with the command line it had.
 */
class EngineRestartIT {

  private SeedGroup env;
  private Dockerd.Process dockerd;

  @BeforeEach
  void findEngine() {
    dockerd = Dockerd.find(); // fails early when dockerd was not started as setup-env.sh does
  }

  @AfterEach
  void down() {
    if (!Docker.local().answers() && dockerd != null) {
      Dockerd.start(dockerd); // never leave the machine without its engine
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void sigtermWhileTheGateWaits() {
    restartDuringUpdate("unless-stopped", "gate", "TERM");
  }

  @Test
  void sigtermWhileTheAppIsSwapped() {
    restartDuringUpdate("unless-stopped", "withdraw", "TERM");
  }

  /**
   * A crash. Docker 20.10 without live-restore kills the containers it finds alive at restore and
   * marks them manually stopped, so {@code unless-stopped} containers stay down (checked by hand:
   * {@code always} ones come back). holdfast never starts a holder, so here the holder runs with
   * {@code --restart always}: what is left to holdfast is the members.
   */
  @Test
  void sigkillWhileTheGateWaits() {
    restartDuringUpdate("always", "gate", "KILL");
  }

  private void restartDuringUpdate(String holderRestart, String atStep, String signal) {
    env =
        SeedGroup.of("eng")
            .holderRestart(holderRestart)
            .app("--label", "holdfast.health.timeout=90s")
            .start();
    Holdfast holdfast = env.holdfast;
    env.registry.publish("holdfast-test/app:v2", "hf/app:live");
    HoldfastClient.Response submitted = holdfast.update(env.group, "");
    assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(202);
    String id = submitted.body().path("id").asText();
    AtomicReference<String> at = new AtomicReference<>();
    await("update " + id + " reaches " + atStep)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> stepRunning(holdfast.run(id), atStep, at));

    Instant t0 = Instant.now();
    Duration stopped = Dockerd.stop(dockerd, signal);
    Duration started = Dockerd.start(dockerd);
    dockerd = Dockerd.find();
    log(
        signal
            + " at step '"
            + at.get()
            + "': dockerd gone after "
            + stopped
            + ", answering "
            + started
            + " after start; containers then:\n"
            + RunReport.containers(env));

    JsonNode run = holdfast.awaitEnd(id, Duration.ofMinutes(5), Duration.ofMillis(500));
    log(
        "run "
            + id
            + " ended ("
            + Duration.between(t0, Instant.now())
            + " after the signal): "
            + run.path("state").asText()
            + "\n"
            + RunReport.steps(run));

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(run.path("state").asText())
        .as("run state; error: " + run.path("error").asText())
        .isIn("succeeded", "rolled-back");
    Instant t1 = Instant.now();
    try {
      env.awaitConsistent(Duration.ofSeconds(90));
      // a run the holder restarted under is followed up at once: that run finishes the update
      boolean updated =
          run.path("state").asText().equals("succeeded")
              || holdfast.runs(env.group).stream()
                  .anyMatch(
                      r ->
                          r.path("trigger").asText().equals("follow-up of run " + id)
                              && r.path("state").asText().equals("succeeded"));
      String version = env.served();
      soft.assertThat(version).isEqualTo(updated ? "v2" : "v1");
    } catch (AssertionError e) {
      soft.fail("group not consistent within 90 s: " + e.getMessage());
    } finally {
      log(
          "group "
              + Duration.between(t1, Instant.now())
              + " after the run ended:\n"
              + RunReport.containers(env)
              + "runs:"
              + RunReport.runs(holdfast, env.group)
              + "\nserving: "
              + env.served());
    }
    soft.assertAll();
  }

  /**
   * True while the run's step with this verb, or (for withdraw, which takes only ~100 ms) one of
   * the steps right after it, is running; remembers what it saw.
   */
  private static boolean stepRunning(JsonNode run, String verb, AtomicReference<String> at) {
    List<String> verbs =
        verb.equals("withdraw") ? List.of("withdraw", "stop", "set-aside", "place") : List.of(verb);
    for (JsonNode s : run.path("steps")) {
      String text = s.path("step").asText().strip();
      if (verbs.contains(text.split("\\s+")[0]) && s.path("state").asText().equals("running")) {
        at.set(text);
        return true;
      }
    }
    assertThat(run.path("state").asText())
        .as("run ended before " + verb + ": " + run)
        .isIn(HoldfastClient.UNDER_WAY);
    return false;
  }

  private static void log(String text) {
    System.out.println("[EngineRestartIT] " + text);
  }
}
