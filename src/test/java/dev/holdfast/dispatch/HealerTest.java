package dev.holdfast.dispatch;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.run.Coordinator;
import dev.holdfast.run.RunnerFixture;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealerTest {

  private final RunnerFixture f = new RunnerFixture();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Coordinator coordinator = f.coordinator(Runnable::run);
  private final Healer healer =
      new Healer(
          f.groups,
          coordinator,
          f.keeper,
          f.engine,
          scheduler,
          Duration.ofSeconds(30),
          new EngineActivity(java.time.Clock.systemUTC(), Duration.ZERO),
          new Waits(),
          java.time.Clock.systemUTC(),
          dev.holdfast.run.SiteReporter.alone(f.keeper, f.routes));

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aReplacedHolderIsHealedAppsFirstRouterLast() {
    f.replaceHolder();

    healer.reconcile("test");

    assertThat(f.journal.list("seed"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo("heal");
              assertThat(r.state()).isEqualTo("succeeded");
            });
    for (ContainerView c : f.fake.containers()) {
      if (!c.name().equals("seed-holder")) {
        assertThat(c.networkMode()).isEqualTo("container:" + "f".repeat(64));
        assertThat(c.running()).isTrue();
      }
    }
    assertThat(f.fake.calls())
        .containsSubsequence("stop seed-router", "start seed-app", "start seed-router");
  }

  @Test
  void aHealthyGroupIsLeftAlone() {
    healer.reconcile("test");

    assertThat(f.journal.list("seed")).isEmpty();
    assertThat(f.fake.calls()).isEmpty();
  }

  @Test
  void aStoppedHolderIsNotHealedUntilItRuns() {
    f.fake.stop(f.holder.id());
    f.fake.run(container("seed-app-2").in(f.holder.id()).startedAt("2026-01-01T08:00:00Z").build());

    healer.reconcile("test");

    assertThat(f.journal.list("seed")).isEmpty();
    assertThat(coordinator.active("seed")).isNotEqualTo(java.util.Optional.of(PlanKind.HEAL));
  }
}
