package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.testing.Docker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The seed group managed by holdfast as the real jar in its own process, with its SQLite store
 * ({@link HoldfastProcess}), killed at a step boundary and started again: what every crash test
 * does. {@link CrashMatrixIT} kills it at every boundary on bookworm's engine, {@link
 * CrashPointSidIT} at one on sid's. Each round's line goes to the class's printed matrix.
 */
abstract class CrashScenario extends SeedScenario {

  static final Duration CONSISTENT_WITHIN = Duration.ofSeconds(90);

  /** One line per round, printed after the class. */
  final List<String> matrix = new ArrayList<>();

  HoldfastProcess holdfast;

  @Override
  SeedGroup seed(Docker engine) {
    return SeedGroup.of("crash", engine).withoutHoldfast();
  }

  @BeforeAll
  final void createProcess() {
    holdfast = new HoldfastProcess(env.tmp.resolve("holdfast-data"), env.engine);
  }

  /** Before the group is removed. */
  @AfterAll
  final void stopProcess() {
    System.out.println(
        "["
            + getClass().getSimpleName()
            + "] matrix on "
            + env.engine
            + ":\n"
            + String.join("\n", matrix));
    if (holdfast != null) {
      holdfast.close();
    }
  }

  /** Publishes the other version under the app's tag; returns it. */
  String publishNext() {
    String next = env.served().equals("v1") ? "v2" : "v1";
    env.registry.publish("holdfast-test/app:" + next, "hf/app:live");
    return next;
  }

  /** The steps of the update holdfast would run now (a dry-run), as the plan renders them. */
  List<String> updateSteps() {
    holdfast.start(Map.of());
    try {
      List<String> steps = new ArrayList<>();
      HoldfastClient.ok(holdfast.update(env.group, "dryRun=true"))
          .path("steps")
          .forEach(s -> steps.add(s.asText()));
      return steps;
    } finally {
      holdfast.term(Duration.ofSeconds(20));
    }
  }

  /** Restarts holdfast after a kill; waits for the group; returns how long that took. */
  Duration restartAndRecover() {
    long t0 = System.nanoTime();
    holdfast.start(Map.of());
    env.awaitConsistent(CONSISTENT_WITHIN);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** holdfast never recreates or restarts a holder. */
  void assertHolderUntouched(String holderId, String holderStarted) {
    assertThat(env.engine.id(env.holder)).as("holder never recreated").isEqualTo(holderId);
    assertThat(env.engine.startedAt(env.holder))
        .as("holder never restarted")
        .isEqualTo(holderStarted);
  }

  JsonNode awaitEnded(String runId) {
    return holdfast.awaitEnd(runId, CONSISTENT_WITHIN, Duration.ofMillis(250));
  }

  /**
   * One round: the other version published, an update asked of a holdfast that dies after {@code n}
   * of its {@code steps} steps, a restart on the same store. The run must end finished (serving the
   * new version) or rolled back (the old one), its record complete and saying where it stopped, the
   * group consistent, its holder untouched. Adds the round's line to the matrix; holdfast is
   * stopped again at the end.
   */
  void updateKilledAt(int n, int steps) {
    String holderId = env.engine.id(env.holder);
    String holderStarted = env.engine.startedAt(env.holder);
    String before = env.served();
    String next = publishNext();
    holdfast.start(Map.of(CrashPointMain.CRASH_AT, "update:" + n));
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
