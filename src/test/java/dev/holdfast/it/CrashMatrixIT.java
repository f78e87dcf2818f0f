package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * holdfast (the real jar, its own process, its SQLite store) is killed with SIGKILL at every step
 * boundary of an update and of a heal, and started again: the next process finishes or rolls back
 * what was in flight. Also SIGTERM mid-run: a clean exit within the stop timeout, and the next
 * start continues. On bookworm's engine; {@link CrashPointSidIT} kills one update on sid's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashMatrixIT extends CrashScenario {

  @Test
  @Order(1)
  void anUpdateKilledAtEveryStepBoundaryIsFinishedOrRolledBack() {
    publishNext();
    int steps = updateSteps().size();
    assertThat(steps).isGreaterThanOrEqualTo(8);
    for (int n = 0; n <= steps; n++) {
      updateKilledAt(n, steps);
    }
  }

  @Test
  @Order(2)
  void aHealKilledAtEveryStepBoundaryEndsWithTheGroupWhole() {
    for (int n = 0; n <= 40; n++) {
      env.recreateHolder();
      String holderId = env.engine.id(env.holder);
      String holderStarted = env.engine.startedAt(env.holder);
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
