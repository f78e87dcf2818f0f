package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.route.RouteIntent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process that dies at any step boundary of a run leaves a record; the next process finishes or
 * rolls the run back from it. (The real-process kill matrix is CrashMatrixIT.)
 */
class RecoveryTest {

  /** What a SIGKILL does to the run: it stops dead, no rollback, no final record. */
  static final class Killed extends Error {}

  /** The step boundary the process dies at (none: -1). */
  private volatile int killAt = -1;

  private final RunnerFixture f =
      new RunnerFixture(
          (run, done) -> {
            if (done == killAt) {
              throw new Killed();
            }
          });

  private RunView killedAfter(int steps, PlanKind kind) {
    killAt = steps;
    Coordinator coordinator = f.coordinator(Runnable::run);
    try {
      coordinator.submit(new RunRequest("seed", kind, Set.of(), "test"));
    } catch (Killed expected) {
      // the process is gone
    } finally {
      killAt = -1;
    }
    List<RunRecord> left = f.journal.store().unfinished();
    assertThat(left).as("the run is left in flight after " + steps + " steps").hasSize(1);
    return left.get(0).view();
  }

  /** The process that recovers the run left in flight. */
  private dev.holdfast.app.Wiring next;

  /** The next process: a new graph (nothing in memory) over the same engine and store. */
  private RunView recover(RunView left) throws InterruptedException {
    next = f.nextProcess();
    int n = next.recovery.recoverAll();
    assertThat(n).isEqualTo(1);
    assertThat(next.journal.store().unfinished()).isEmpty();
    return next.journal.get(left.id()).orElseThrow();
  }

  /** Engine calls made before the run (test set-up), not the run's nor recovery's. */
  private int setUpCalls;

  private void consistent() {
    consistent(f);
  }

  private void consistent(RunnerFixture f) {
    List<ContainerView> all = f.fake.containers();
    assertThat(all).extracting(ContainerView::name).noneMatch(n -> n.contains(".holdfast-"));
    assertThat(all)
        .extracting(ContainerView::name)
        .containsExactlyInAnyOrder("seed-holder", "seed-app", "seed-router");
    String holderId = f.fake.container("seed-holder").orElseThrow().id();
    for (String m : List.of("seed-app", "seed-router")) {
      ContainerView c = f.fake.container(m).orElseThrow();
      assertThat(c.running()).as(m + " running").isTrue();
      assertThat(c.networkMode()).as(m + " attached").isEqualTo("container:" + holderId);
    }
    assertThat(f.fake.calls().subList(setUpCalls, f.fake.calls().size()))
        .as("the holder is never touched")
        .noneMatch(c -> !c.startsWith("exec") && c.contains("seed-holder"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void anUpdateKilledAtAnyStepBoundaryEndsConsistent(int steps) throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    RunView left = killedAfter(steps, PlanKind.UPDATE);
    int total = left.steps().size();
    int gate = indexOf(left, "gate");

    RunView after = recover(left);

    consistent();
    String image = f.fake.container("seed-app").orElseThrow().imageId();
    if (steps > gate) {
      assertThat(after.state()).isEqualTo("succeeded");
      assertThat(image).isEqualTo(RunnerFixture.V2.id());
    } else {
      assertThat(after.state()).isIn("rolled-back", "failed");
      assertThat(image).isEqualTo(RunnerFixture.V1.id());
    }
    assertThat(after.error()).contains("holdfast stopped at");
    assertThat(next.keeper.intent("seed").map(RouteIntent::announced))
        .isNotEqualTo(java.util.Optional.of(false));
    assertThat(total).isGreaterThanOrEqualTo(steps);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
  void aHealKilledAtAnyStepBoundaryEndsConsistentOrIsHealedAgain(int steps)
      throws InterruptedException {
    f.replaceHolder();
    setUpCalls = f.fake.calls().size();
    RunView left = killedAfter(steps, PlanKind.HEAL);

    RunView after = recover(left);
    if (!after.state().equals("succeeded")) {
      // a heal rolled back leaves stale members: the healer heals them again, as after any failure
      f.coordinator(Runnable::run).submit(new RunRequest("seed", PlanKind.HEAL, Set.of(), "again"));
    }

    consistent();
  }

  @org.junit.jupiter.api.Test
  void aRunTheEngineLeftHalfDoneIsRecoveredWhenTheEngineIsBack() {
    // the engine's circuit breaker waits in real time: here waits pass for real too, a little
    RunnerFixture f = RunnerFixture.withRealWaits();
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    // the engine goes away at the app's start, for longer than the retries, then comes back
    java.util.concurrent.atomic.AtomicLong backAt = new java.util.concurrent.atomic.AtomicLong();
    f.fake.failWhen(
        call -> {
          if (call.equals("start seed-app") && backAt.get() == 0) {
            backAt.set(System.nanoTime() + 500_000_000L);
          }
          if (backAt.get() != 0 && System.nanoTime() - backAt.get() < 0) {
            return new dev.holdfast.engine.TransientEngineException("engine away", null);
          }
          return null;
        });
    Coordinator coordinator = f.coordinator(Runnable::run);

    Run run = coordinator.submit(new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test"));

    RunView after = f.journal.get(run.id()).orElseThrow();
    assertThat(after.state()).isEqualTo("rolled-back");
    assertThat(after.error()).contains("the engine went away");
    consistent(f);
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V1.id());
  }

  private static int indexOf(RunView v, String action) {
    for (int i = 0; i < v.steps().size(); i++) {
      if (v.steps().get(i).action().equals(action)) {
        return i;
      }
    }
    throw new AssertionError("no " + action + " step");
  }
}
