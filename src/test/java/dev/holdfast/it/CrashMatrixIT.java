package dev.holdfast.it;

import static dev.holdfast.it.SeedGroup.DOCKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * holdfast (the real jar, its own process, its SQLite store) is killed with SIGKILL at every step
 * boundary of an update and of a heal, and started again: the next process finishes or rolls back
 * what was in flight. Also SIGTERM mid-run: a clean exit within the stop timeout, and the next
 * start continues.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashMatrixIT {

  private static final Duration CONSISTENT_WITHIN = Duration.ofSeconds(90);
  private static final List<String> matrix = new ArrayList<>();

  @RegisterExtension static final SeedGroup env = SeedGroup.of("crash").withoutHoldfast();

  private static HoldfastProcess holdfast;

  @BeforeAll
  static void up() {
    holdfast = new HoldfastProcess(env.tmp.resolve("holdfast-data"));
  }

  /** Before the extension removes the group. */
  @AfterAll
  static void down() {
    System.out.println("[CrashMatrixIT] matrix:\n" + String.join("\n", matrix));
    if (holdfast != null) {
      holdfast.close();
    }
  }

  /** Publishes the other version under the app's tag; returns it. */
  private static String publishNext() {
    String next = env.served().equals("v1") ? "v2" : "v1";
    env.registry.publish("holdfast-test/app:" + next, "hf/app:live");
    return next;
  }

  /** The number of steps of the update holdfast would run now (a dry-run). */
  private static int updateSteps() {
    holdfast.start(Map.of());
    try {
      return HoldfastClient.ok(holdfast.update(env.group, "dryRun=true")).path("steps").size();
    } finally {
      holdfast.term(Duration.ofSeconds(20));
    }
  }

  /** Restarts holdfast after a kill; waits for the group; returns how long that took. */
  private static Duration restartAndRecover() {
    long t0 = System.nanoTime();
    holdfast.start(Map.of());
    env.awaitConsistent(CONSISTENT_WITHIN);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** holdfast never recreates or restarts a holder. */
  private static void assertHolderUntouched(String holderId, String holderStarted) {
    assertThat(DOCKER.id(env.holder)).as("holder never recreated").isEqualTo(holderId);
    assertThat(DOCKER.startedAt(env.holder)).as("holder never restarted").isEqualTo(holderStarted);
  }

  private static JsonNode awaitEnded(String runId) {
    return holdfast.awaitEnd(runId, CONSISTENT_WITHIN, Duration.ofMillis(250));
  }

  @Test
  @Order(1)
  void anUpdateKilledAtEveryStepBoundaryIsFinishedOrRolledBack() {
    String holderId = DOCKER.id(env.holder);
    String holderStarted = DOCKER.startedAt(env.holder);
    publishNext();
    int steps = updateSteps();
    assertThat(steps).isGreaterThanOrEqualTo(8);
    for (int n = 0; n <= steps; n++) {
      String before = env.served();
      String next = publishNext();
      holdfast.start(Map.of("HOLDFAST_TEST_CRASH_AT", "update:" + n));
      JsonNode queued = holdfast.update(env.group, "").body();
      String runId = queued.path("id").asText();
      int code = holdfast.awaitExit(Duration.ofSeconds(90));
      assertThat(code).as("killed at boundary %d: %s", n, holdfast.tail()).isEqualTo(137);

      Duration recovery = restartAndRecover();
      JsonNode run = awaitEnded(runId);
      String serving = env.served();
      matrix.add(
          String.format(
              "update killed after %2d/%d steps: run %-11s serving %s (was %s, pushed %s), group consistent %5d ms after the restart",
              n, steps, run.path("state").asText(), serving, before, next, recovery.toMillis()));

      assertThat(run.path("state").asText()).isIn("succeeded", "rolled-back", "failed");
      assertThat(serving).isIn(before, next);
      if (run.path("state").asText().equals("succeeded")) {
        assertThat(serving).isEqualTo(next);
      } else {
        assertThat(serving).isEqualTo(before);
      }
      if (n > 0 && n < steps) {
        assertThat(run.path("error").asText())
            .as("the record says what happened")
            .contains("holdfast stopped at");
      }
      assertThat(run.path("steps").size())
          .as("the run's history is complete")
          .isGreaterThanOrEqualTo(steps);
      assertHolderUntouched(holderId, holderStarted);
      holdfast.term(Duration.ofSeconds(20));
    }
  }

  @Test
  @Order(2)
  void aHealKilledAtEveryStepBoundaryEndsWithTheGroupWhole() {
    for (int n = 0; n <= 40; n++) {
      env.recreateHolder();
      String holderId = DOCKER.id(env.holder);
      String holderStarted = DOCKER.startedAt(env.holder);
      java.time.Instant roundStart = java.time.Instant.now().minusMillis(100);
      holdfast.start(Map.of("HOLDFAST_TEST_CRASH_AT", "heal:" + n));
      boolean killed;
      try {
        killed = holdfast.awaitExit(Duration.ofSeconds(60)) == 137;
      } catch (AssertionError stillRunning) {
        killed = false; // the heal has fewer steps than n: it ran to the end
      }
      if (!killed) {
        env.awaitConsistent(CONSISTENT_WITHIN);
        holdfast.term(Duration.ofSeconds(20));
        matrix.add(
            String.format(
                "heal   at %2d steps: no such boundary (the heal has %d steps)", n, n - 1));
        assertThat(n).as("the heal was killed at every boundary before this one").isGreaterThan(8);
        return;
      }
      Duration recovery = restartAndRecover();
      List<JsonNode> runs = holdfast.runs(env.group);
      List<String> round = new ArrayList<>();
      for (JsonNode r : runs) {
        if (!java.time.Instant.parse(r.path("createdAt").asText()).isBefore(roundStart)) {
          round.add(0, r.path("kind").asText() + " " + r.path("state").asText());
        }
      }
      assertThat(round).as("runs of this round, oldest first").isNotEmpty();
      assertThat(round.get(0))
          .as("the killed heal, finished or rolled back by the next process")
          .matches("heal (succeeded|rolled-back|failed)");
      assertThat(runs).noneMatch(r -> HoldfastClient.UNDER_WAY.contains(r.path("state").asText()));
      matrix.add(
          String.format(
              "heal   killed after %2d steps: runs %s, group consistent %5d ms after the restart",
              n, round, recovery.toMillis()));
      assertHolderUntouched(holderId, holderStarted);
      holdfast.term(Duration.ofSeconds(20));
    }
  }

  @Test
  @Order(3)
  void sigtermMidRunExitsWithinTheStopTimeoutAndTheNextStartContinues() {
    String next = publishNext();
    holdfast.start(Map.of());
    String runId = holdfast.update(env.group, "").body().path("id").asText();
    await("the run reaches its gate")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (JsonNode s : holdfast.run(runId).path("steps")) {
                if (s.path("action").asText().equals("gate")
                    && s.path("state").asText().equals("running")) {
                  return true;
                }
              }
              return false;
            });

    Duration exit = holdfast.term(Duration.ofSeconds(30));

    matrix.add("SIGTERM during the gate: exited after " + exit.toMillis() + " ms");
    assertThat(exit).as("exit within the stop timeout (8 s)").isLessThan(Duration.ofSeconds(10));
    Duration recovery = restartAndRecover();
    JsonNode run = awaitEnded(runId);
    matrix.add(
        "SIGTERM during the gate: next start left run "
            + run.path("state").asText()
            + ", serving "
            + env.served()
            + ", consistent "
            + recovery.toMillis()
            + " ms after the restart");
    assertThat(run.path("state").asText()).isIn("succeeded", "rolled-back");
    assertThat(env.served()).isIn(next, next.equals("v1") ? "v2" : "v1");
    holdfast.term(Duration.ofSeconds(20));
  }
}
