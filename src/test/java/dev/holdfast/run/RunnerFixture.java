package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.group.Labels;
import dev.holdfast.route.BirdRouteControl;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.StopRouteControl;
import dev.holdfast.testing.FakeEngine;
import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A seed group (holder, app v1, router) on a FakeEngine, with the runner wired as in production.
 */
final class RunnerFixture {

  static final String REF = "reg.test/app:live";
  static final ImageInfo V1 = image("1");
  static final ImageInfo V2 = image("2");
  static final ImageInfo BROKEN = image("b");
  static final ImageInfo BIRD = image("reg.test/bird", "9");

  final FakeEngine fake = new FakeEngine();
  final MutableClock clock = new MutableClock();
  final ResilientEngine engine =
      new ResilientEngine(
          fake, new RetryPolicy(4, Duration.ofMillis(1), 1.0, Duration.ofMillis(1)));
  final HealthGate gate = new HealthGate(engine, clock, clock.sleeper(), Duration.ofMillis(100));
  final RouteControls routes =
      new RouteControls(
          List.of(new StopRouteControl(engine), new BirdRouteControl(engine, clock::advance)));
  final GroupService groups = new GroupService(engine, new InMemoryGroupMemory(), routes);
  final ProbeWatcher probes = new ProbeWatcher(engine, clock, Runnable::run);
  final RouteKeeper keeper = new RouteKeeper(routes, clock, probes);
  final PlanRunner runner = new PlanRunner(engine, routes, gate, keeper);
  final RunJournal journal = new RunJournal(100);
  final ContainerView holder;

  RunnerFixture() {
    fake.image(REF, V1, "healthy");
    fake.push(REF, V1, "healthy"); // pulled from the registry, which serves it still
    fake.image("reg.test/bird:2", BIRD, null);
    fake.push("reg.test/bird:2", BIRD, null);
    holder =
        fake.run(
            container("seed-holder")
                .label(Labels.GROUP, "seed")
                .label(Labels.ROLE, "holder")
                .startedAt("2026-01-01T09:00:00Z")
                .build());
    fake.run(container("seed-app").in(holder.id()).image(REF, V1.id()).health("healthy").build());
    fake.run(
        container("seed-router")
            .in(holder.id())
            .label(Labels.ROLE, "router")
            .image("reg.test/bird:2", BIRD.id())
            .build());
  }

  Coordinator coordinator(Executor executor) {
    return new Coordinator(groups, runner, journal, executor, clock);
  }

  static ImageInfo image(String fill) {
    return image("reg.test/app", fill);
  }

  /** An image pulled from {@code repository} (the engine recorded a repo digest for it). */
  static ImageInfo image(String repository, String fill) {
    return new ImageInfo(
        "sha256:" + fill.repeat(64), List.of(repository + "@sha256:" + fill.repeat(64)), true);
  }
}
