package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.PlanKind;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run never reports success with a member in a dead namespace, and never fights another client
 * that recreated a member under it.
 */
class PlanGuardTest {

  private final RunnerFixture f = new RunnerFixture();
  private final Coordinator coordinator = f.coordinator(Runnable::run);

  @BeforeEach
  void aNewImageIsPushed() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
  }

  /** Does {@code what} the first time a call {@code call} accepts is made. */
  private void onTheFirst(Predicate<String> call, Runnable what) {
    AtomicBoolean done = new AtomicBoolean();
    f.fake.failWhen(
        c -> {
          if (call.test(c) && done.compareAndSet(false, true)) {
            what.run();
          }
          return null;
        });
  }

  /**
   * Restarts the holder (same id, new start) the first time a call {@code call} accepts is made.
   */
  private void holderRestartsAt(Predicate<String> call) {
    onTheFirst(call, () -> f.fake.restarted("seed-holder"));
  }

  private void update() {
    coordinator.submit(new RunRequest("seed", PlanKind.UPDATE, Set.of(), "test"));
  }

  /** The group's runs in the order they were asked for (they share one clock instant). */
  private List<RunView> runs() {
    return f.journal.list("seed").stream()
        .sorted(java.util.Comparator.comparing(r -> r.trigger().startsWith("follow-up")))
        .toList();
  }

  private void assertWhole() {
    ContainerView holder = f.fake.container("seed-holder").orElseThrow();
    for (String m : List.of("seed-app", "seed-router")) {
      ContainerView c = f.fake.container(m).orElseThrow();
      assertThat(c.networkMode()).as(m).isEqualTo("container:" + holder.id());
      assertThat(c.running()).as(m + " running").isTrue();
      assertThat(c.startedAt()).as(m + " started after the holder").isAfter(holder.startedAt());
    }
    assertThat(f.fake.containers()).noneMatch(c -> c.name().contains(".holdfast-"));
  }

  @Test
  void aHolderThatRestartsDuringTheGateRollsTheUpdateBackAndItIsRunAgain() {
    holderRestartsAt("start seed-app"::equals);

    update();

    List<RunView> runs = runs();
    assertThat(runs).hasSize(2);
    RunView first = runs.get(0);
    assertThat(first.state()).as(first.error()).isEqualTo("rolled-back");
    assertThat(first.error()).contains("gate").contains("restarted during the run");
    RunView followUp = runs.get(1);
    assertThat(followUp.trigger()).isEqualTo("follow-up of run " + first.id());
    assertThat(followUp.state()).isEqualTo("succeeded");
    assertThat(f.fake.container("seed-app").orElseThrow().imageId())
        .isEqualTo(RunnerFixture.V2.id());
    assertWhole();
  }

  @Test
  void aHolderThatRestartsAfterTheLastStepIsNeverASuccess() {
    holderRestartsAt(c -> c.startsWith("remove seed-app.holdfast-old-"));

    update();

    List<RunView> runs = runs();
    assertThat(runs).hasSize(2);
    RunView first = runs.get(0);
    assertThat(first.state()).isEqualTo("failed");
    assertThat(first.error())
        .contains("seed-app started at")
        .contains("it sits in the old namespace")
        .contains("the group is healed next");
    assertThat(runs.get(1).state()).isEqualTo("succeeded");
    assertWhole();
  }

  @Test
  void aFollowUpIsNotFollowedUpAgain() {
    f.fake.failWhen(
        c -> {
          if (c.equals("start seed-router")) {
            f.fake.restarted("seed-holder"); // every time: a holder that keeps restarting
          }
          return null;
        });

    update();

    assertThat(runs()).hasSize(2).allSatisfy(r -> assertThat(r.state()).isNotEqualTo("succeeded"));
  }

  @Test
  void aMemberAnotherClientRecreatesDuringTheRunIsLeftToIt() {
    onTheFirst(
        "stop seed-app"::equals,
        () -> {
          // Compose v2's recreate, all at once: the old one goes, its own takes the name
          ContainerView old = f.fake.container("seed-app").orElseThrow();
          f.fake.remove(old.id());
          f.fake.run(
              container("seed-app")
                  .id("e".repeat(64))
                  .in(f.holder.id())
                  .image(RunnerFixture.REF, RunnerFixture.V1.id())
                  .health("healthy")
                  .startedAt("2026-01-01T10:00:30Z")
                  .build());
        });

    update();

    RunView run = runs().get(0);
    assertThat(run.state()).isEqualTo("rolled-back");
    assertThat(run.error()).contains("seed-app was recreated by another client during the run");
    assertThat(f.fake.container("seed-app").orElseThrow().id()).isEqualTo("e".repeat(64));
    assertThat(f.fake.containers()).noneMatch(c -> c.name().contains(".holdfast-"));
    assertThat(f.fake.container("seed-router").orElseThrow().running()).isTrue();
  }
}
