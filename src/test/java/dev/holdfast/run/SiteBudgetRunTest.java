package dev.holdfast.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.engine.EngineException;
import dev.holdfast.group.Labels;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.site.Prefix;
import dev.holdfast.site.SiteState;
import dev.holdfast.site.Sites;
import dev.holdfast.testing.Containers;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A run of a group that announces a prefix with another site: it takes the prefix's withdrawal slot
 * before it withdraws, waits while the budget says so (stopping nothing meanwhile), gives the slot
 * back after it re-announced, and a planned run that rolls back halts the prefix until an operator
 * resumes it. Repairs and an operator's override go at once.
 */
class SiteBudgetRunTest {

  private static final Prefix P = Prefix.parse("192.0.2.53/32");
  private static final String OTHER = "other-host/dns";

  private RunnerFixture f = new RunnerFixture();

  private void labelled(RunnerFixture fixture) {
    fixture.fake.remove("seed-router");
    fixture.fake.run(
        Containers.container("seed-router")
            .in(fixture.holder.id())
            .label(Labels.ROLE, "router")
            .label(Labels.PREFIXES, "192.0.2.53/32")
            .image("reg.test/bird:2", RunnerFixture.BIRD.id())
            .build());
  }

  private Sites sites() {
    return f.graph.sites;
  }

  private Run update(boolean override) throws InterruptedException {
    RunRequest request =
        new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test", java.util.Map.of(), override);
    return execute(request);
  }

  private Run execute(RunRequest request) throws InterruptedException {
    Run run = new Run("r" + System.nanoTime() % 100000, request, Clock.systemUTC());
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
  void thePlanTakesTheSlotAfterTheCreatesAndGivesItBackAfterTheAnnouncement() {
    labelled(f);
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");

    String plan =
        f.groups.plan(new RunRequest("seed", PlanKind.UPDATE, Set.of(), "t"), "r1", false).render();

    String oneSpaced = plan.replaceAll(" +", " ");
    assertThat(oneSpaced)
        .contains(
            "3. admit seed-router 192.0.2.53/32 within each prefix's budget (wait while other"
                + " sites are away)\n 4. withdraw seed-router")
        .contains(
            "10. announce seed-router strategy stop\n 11. release seed-router 192.0.2.53/32 once"
                + " announced again and drained 0s\n");
    assertThat(plan.indexOf("create")).isLessThan(plan.indexOf("admit"));
    assertThat(plan.indexOf("admit")).isLessThan(plan.indexOf("withdraw"));
    assertThat(plan.indexOf("announce")).isLessThan(plan.indexOf("release"));
    assertThat(plan.indexOf("release")).isLessThan(plan.indexOf("remove"));
  }

  @Test
  void aGroupWithoutPrefixesPlansAsBefore() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");

    String plan =
        f.groups.plan(new RunRequest("seed", PlanKind.UPDATE, Set.of(), "t"), "r1", false).render();

    assertThat(plan).doesNotContain("admit").doesNotContain("release");
  }

  @Test
  void waitsWhileTheOtherSiteIsAwayStoppingNothingThenGoesWhenItAnnounces() throws Exception {
    f = RunnerFixture.withRealWaits();
    labelled(f);
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    sites().report(OTHER, Set.of(P), SiteState.WITHDRAWN);
    RunRequest request = new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test");
    Run run = new Run("r1", request, Clock.systemUTC());
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                run.start();
                Plan plan = f.groups.plan(request, run.id(), true);
                run.planned(plan);
                PlanExecutor.Outcome o = f.runner.execute(run, plan);
                run.end(o.state(), o.reason());
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    t.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> run.waiting() != null);
    assertThat(run.waiting())
        .contains("192.0.2.53/32")
        .contains(OTHER + " withdrawn")
        .contains("at most 1 at once");
    assertThat(run.view().waiting()).isEqualTo(run.waiting());
    assertThat(f.fake.calls()).noneMatch(c -> c.startsWith("stop "));

    sites().report(OTHER, Set.of(P), SiteState.ANNOUNCING);
    t.join(20_000);

    assertThat(failed.get()).isNull();
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.waiting()).isNull();
    assertThat(sites().holdsSlot("local/seed")).isFalse();
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V2.id());
  }

  @Test
  void aRunThatCannotGetItsSlotFailsAfterTheBudgetWaitWithNothingStoppedAndHaltsNothing()
      throws InterruptedException {
    labelled(f);
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    sites().report(OTHER, Set.of(P), SiteState.WITHDRAWN);

    Run run = update(false);

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).contains("waited 60 min for the withdrawal budget");
    assertThat(f.fake.calls()).noneMatch(c -> c.startsWith("stop "));
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V1.id());
    assertThat(sites().halts()).isEmpty();
    assertThat(sites().holdsSlot("local/seed")).isFalse();
  }

  @Test
  void theLastAnnouncingSiteIsNotWithdrawnForAnUpdate() throws InterruptedException {
    labelled(f);
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    // the other site is not away by a slot of its own but does not announce: this site is the last
    sites().report(OTHER, Set.of(P), SiteState.UNKNOWN);

    Run run = update(false);

    assertThat(run.error()).contains("other-host/dns unknown");
    assertThat(f.fake.calls()).noneMatch(c -> c.startsWith("stop "));
  }

  @Test
  void theOperatorsOverrideGoesAndSaysSo() throws InterruptedException {
    labelled(f);
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    sites().report(OTHER, Set.of(P), SiteState.WITHDRAWN);

    Run run = update(true);

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.view().plan()).contains("with the budget overridden by the operator");
  }

  @Test
  void aHealOfABrokenSiteNeverWaits() throws InterruptedException {
    labelled(f);
    f.groups.groups();
    sites().report(OTHER, Set.of(P), SiteState.WITHDRAWN);
    f.replaceHolder();

    Run run = execute(new RunRequest("seed", PlanKind.HEAL, Set.of(), "test"));

    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.view().plan()).contains("as a repair (never waits");
    assertThat(sites().holdsSlot("local/seed")).isFalse();
  }

  @Test
  void aPlannedRunThatRollsBackHaltsThePrefixUntilAnOperatorResumesIt()
      throws InterruptedException {
    labelled(f);
    sites().report(OTHER, Set.of(P), SiteState.ANNOUNCING);
    f.fake.push(RunnerFixture.REF, RunnerFixture.BROKEN, "unhealthy");

    Run broken = update(false);

    assertThat(broken.state()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(sites().halts()).containsOnlyKeys(P);
    assertThat(sites().halts().get(P)).contains("run " + broken.id()).contains("rolled-back");
    assertThat(sites().holdsSlot("local/seed")).as("the slot is given back").isFalse();

    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
    Run next = update(false);
    assertThat(next.error()).contains("is halted").contains("holdfast resume 192.0.2.53/32");
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V1.id());

    assertThat(sites().resume(P)).isTrue();
    Run resumed = update(false);
    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V2.id());
  }
}
