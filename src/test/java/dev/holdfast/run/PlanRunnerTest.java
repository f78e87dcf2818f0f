package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.TransientEngineException;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlanRunnerTest {

  private final RunnerFixture f = new RunnerFixture();

  private Run update() throws InterruptedException {
    RunRequest request = new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test");
    Run run = new Run("r1", request, Clock.systemUTC());
    run.start();
    try {
      Plan plan = f.groups.plan(request, run.id(), true);
      run.planned(plan);
      PlanExecutor.Outcome o = f.runner.execute(run, plan);
      run.end(o.state(), o.reason());
    } catch (EngineException e) {
      run.end(RunState.FAILED, e.getMessage());
    }
    return run;
  }

  @Test
  void updateWithdrawsStopsReplacesGatesAnnouncesInThatOrder() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(f.fake.calls())
        .containsExactly(
            "pull reg.test/app:live",
            "pull reg.test/bird:2",
            "create seed-app.holdfast-new-r1",
            "stop seed-router",
            "stop seed-app",
            "rename seed-app seed-app.holdfast-old-r1",
            "restart-policy seed-app.holdfast-old-r1 no",
            "rename seed-app.holdfast-new-r1 seed-app",
            "start seed-app",
            "start seed-router",
            "remove seed-app.holdfast-old-r1");
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V2.id());
    assertThat(f.fake.container("seed-app").orElseThrow().networkMode())
        .isEqualTo("container:" + f.holder.id());
    assertThat(f.fake.container("seed-app").orElseThrow().labels())
        .containsEntry("holdfast.run", "r1")
        .containsEntry("holdfast.run.replaces", "seed-app");
  }

  @Test
  void theHolderIsNeverTouched() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");

    update();

    assertThat(f.fake.calls()).noneMatch(c -> c.contains("seed-holder"));
  }

  @Test
  void unhealthyNewAppRollsBackToTheOldOneAndAnnouncesIt() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.BROKEN, "unhealthy");

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(run.error())
        .contains("docker health unhealthy")
        .contains("rolled back and announced");
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V1.id());
    assertThat(f.fake.container("seed-app").orElseThrow().running()).isTrue();
    assertThat(f.fake.container("seed-router").orElseThrow().running()).isTrue();
    assertThat(f.fake.containers()).noneMatch(c -> c.name().contains(".holdfast-"));
    assertThat(f.fake.container("seed-app").orElseThrow().restartPolicy())
        .isEqualTo("unless-stopped");
    assertThat(f.fake.calls())
        .containsSubsequence(
            "start seed-app",
            "remove seed-app",
            "rename seed-app.holdfast-old-r1 seed-app",
            "start seed-app",
            "start seed-router");
  }

  @Test
  void whenTheOldAppIsUnhealthyTooTheRouteStaysWithdrawn() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.BROKEN, "unhealthy");
    f.fake.image(RunnerFixture.V1.id(), RunnerFixture.V1, "unhealthy");

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(run.error()).contains("route left withdrawn");
    assertThat(f.fake.container("seed-router").orElseThrow().running()).isFalse();
  }

  @Test
  void aFailedPullStopsAndWithdrawsNothing() throws InterruptedException {
    f.fake.failWhen(
        call ->
            call.startsWith("pull reg.test/app")
                ? new EngineException("pull: connection refused")
                : null);

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).contains("pull");
    assertThat(f.fake.calls()).noneMatch(c -> c.startsWith("stop") || c.startsWith("create"));
  }

  @Test
  void transientEngineErrorsAreRetried() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    AtomicInteger failures = new AtomicInteger();
    f.fake.failWhen(
        call ->
            call.equals("stop seed-app") && failures.incrementAndGet() <= 2
                ? new TransientEngineException("connection reset", null)
                : null);

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(failures.get()).isEqualTo(3);
  }

  @Test
  void exhaustedRetriesRollBackRatherThanLeaveAHalfRecreatedGroup() throws InterruptedException {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    f.fake.failWhen(
        call ->
            call.equals("rename seed-app.holdfast-new-r1 seed-app")
                ? new TransientEngineException("engine away", null)
                : null);

    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V1.id());
    assertThat(f.fake.container("seed-app").orElseThrow().running()).isTrue();
    assertThat(f.fake.container("seed-router").orElseThrow().running()).isTrue();
    assertThat(f.fake.containers()).noneMatch(c -> c.name().contains(".holdfast-"));
  }

  @Test
  void nothingNewMeansNothingTouched() throws InterruptedException {
    Run run = update();

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(f.fake.calls()).allMatch(c -> c.startsWith("pull"));
  }
}
