package dev.holdfast.dispatch;

import static dev.holdfast.testing.Containers.holderOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.group.ComposeLabels;
import dev.holdfast.run.RunnerFixture;
import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While Compose replaces the holder, the members wait for the new one (at most the reconcile
 * interval) and are then healed onto it; they are never healed onto a holder under Compose's
 * temporary name.
 */
class HealerWaitTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final String NEW_ID = "f".repeat(64);

  private final RunnerFixture f = new RunnerFixture();
  private final MutableClock clock = new MutableClock();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Waits waits = new Waits();
  private final Healer healer =
      new Healer(
          f.groups,
          f.coordinator(Runnable::run),
          f.keeper,
          f.engine,
          scheduler,
          INTERVAL,
          new EngineActivity(clock, Duration.ofSeconds(1)),
          waits,
          clock,
          dev.holdfast.run.SiteReporter.alone(f.keeper, f.routes));

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** Compose v2, halfway: the old holder removed, the new one created under its temporary name. */
  private void composeHalfway() {
    f.groups.groups();
    f.fake.remove(f.holder.id());
    f.fake.run(
        holderOf("seed", f.holder.id().substring(0, 12) + "_seed-holder")
            .id(NEW_ID)
            .label(ComposeLabels.PROJECT, "p")
            .state("created")
            .startedAt("0001-01-01T00:00:00Z")
            .build());
  }

  private void composeDone() {
    f.fake.remove(NEW_ID);
    f.fake.run(
        holderOf("seed", "seed-holder")
            .id(NEW_ID)
            .label(ComposeLabels.PROJECT, "p")
            .startedAt("2026-01-01T10:00:00Z")
            .build());
  }

  @Test
  void membersWaitForTheNewHolderAndAreHealedOntoItOnceItHasItsName() {
    composeHalfway();

    healer.reconcile("event");

    assertThat(f.journal.list("seed")).isEmpty();
    assertThat(waits.of("seed"))
        .hasValueSatisfying(
            w -> {
              assertThat(w.overdue()).isFalse();
              assertThat(w.describe()).contains("waiting for the new holder seed-holder");
            });

    composeDone();
    healer.reconcile("event");

    assertThat(f.journal.list("seed"))
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo("succeeded"));
    for (String m : java.util.List.of("seed-app", "seed-router")) {
      ContainerView c = f.fake.container(m).orElseThrow();
      assertThat(c.networkMode()).isEqualTo("container:" + NEW_ID);
    }
    assertThat(waits.of("seed")).isEmpty();
  }

  @Test
  void pastTheReconcileIntervalTheGroupShowsWhatItWaitedFor() {
    composeHalfway();
    healer.reconcile("event");

    clock.advance(INTERVAL);
    healer.reconcile("reconcile");

    assertThat(waits.of("seed"))
        .hasValueSatisfying(
            w -> {
              assertThat(w.overdue()).isTrue();
              assertThat(w.describe()).startsWith("waited longer than 30s");
            });
    // the only holder carries Compose's temporary name and does not run: nothing is healed onto it
    assertThat(f.journal.list("seed")).isEmpty();
    assertThat(f.fake.container("seed-app").orElseThrow().networkMode())
        .isEqualTo("container:" + f.holder.id());
  }
}
