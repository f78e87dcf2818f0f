package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.engine.EngineException;
import dev.holdfast.plan.PlanKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CoordinatorTest {

  /** Runs tasks only when the test says so: makes "a trigger arrives during a run" exact. */
  private static final class ManualExecutor implements Executor {
    final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        tasks.poll().run();
      }
    }
  }

  private final RunnerFixture f = new RunnerFixture();
  private final ManualExecutor executor = new ManualExecutor();
  private final Coordinator coordinator = f.coordinator(executor);

  private static RunRequest request(PlanKind kind, String trigger) {
    return new RunRequest("seed", kind, Set.of(), trigger);
  }

  @Test
  void triggersArrivingDuringARunCoalesceIntoOneFollowUp() {
    Run first = coordinator.submit(request(PlanKind.UPDATE, "a"));
    Run second = coordinator.submit(request(PlanKind.HEAL, "b"));
    Run third = coordinator.submit(request(PlanKind.UPDATE, "c"));
    Run fourth = coordinator.submit(request(PlanKind.HEAL, "d"));

    assertThat(second).isSameAs(third).isSameAs(fourth).isNotSameAs(first);
    executor.runAll();

    assertThat(f.journal.list("seed")).hasSize(2);
    assertThat(first.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(second.kind()).as("an update absorbs a heal").isEqualTo(PlanKind.UPDATE);
    assertThat(second.view().trigger()).isEqualTo("b+c+d");
  }

  @Test
  void oneRunPerGroupAtATimeButGroupsAreIndependent() {
    f.fake.run(container("other-holder").build());
    f.fake.run(container("other-app").in("other-holder").build());

    coordinator.submit(request(PlanKind.UPDATE, "a"));
    coordinator.submit(new RunRequest("other-holder", PlanKind.UPDATE, Set.of(), "b"));

    assertThat(executor.tasks).hasSize(2);
    assertThat(coordinator.active("seed")).contains(PlanKind.UPDATE);
    assertThat(coordinator.active("other-holder")).contains(PlanKind.UPDATE);
    executor.runAll();
    assertThat(coordinator.active("seed")).isEmpty();
  }

  @Test
  void aRunOfAnUnknownGroupFailsWithTheReason() {
    Run run = coordinator.submit(new RunRequest("nope", PlanKind.UPDATE, Set.of(), "a"));
    executor.runAll();

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo("no group nope");
  }

  @Test
  void aPullTheRegistryRefusesFailsTheRunBeforeAnythingIsTouched() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    String app = f.fake.container("seed-app").orElseThrow().id();
    String refused =
        "pull "
            + RunnerFixture.REF
            + ": registry reg.test answered unauthorized to the login for reg.test from"
            + " HOLDFAST_REGISTRY_AUTH; the engine said: unauthorized: authentication required";
    f.fake.failWhen(call -> call.startsWith("pull ") ? new EngineException(refused) : null);

    Run run = coordinator.submit(request(PlanKind.UPDATE, "push"));
    executor.runAll();

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo(refused);
    assertThat(f.fake.calls()).as("no call but the refused pull got through").isEmpty();
    assertThat(f.fake.container("seed-app").orElseThrow().id()).isEqualTo(app);
    assertThat(f.fake.container("seed-app").orElseThrow().state()).isEqualTo("running");
  }

  @Test
  void afterStopAcceptingNoRunIsTaken() {
    coordinator.stopAccepting();

    assertThatThrownBy(() -> coordinator.submit(request(PlanKind.HEAL, "a")))
        .isInstanceOf(RefusedException.class);
  }
}
