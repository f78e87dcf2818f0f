package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;

import dev.holdfast.docker.ResilientEngine;
import dev.holdfast.docker.RetryPolicy;
import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.InMemoryGroupMemory;
import dev.holdfast.group.Labels;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.probe.ProbeWatcher;
import dev.holdfast.route.BirdRouteControl;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.route.StopRouteControl;
import dev.holdfast.testing.FakeEngine;
import dev.holdfast.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A seed group (holder, app v1, router) on a FakeEngine, with the runner wired as in production.
 */
public final class RunnerFixture {

  public static final String REF = "reg.test/app:live";
  public static final ImageInfo V1 = image("1");
  public static final ImageInfo V2 = image("2");
  public static final ImageInfo BROKEN = image("b");
  public static final ImageInfo BIRD = image("reg.test/bird", "9");

  public final FakeEngine fake = new FakeEngine();
  public final MutableClock clock = new MutableClock();
  public final ResilientEngine engine =
      new ResilientEngine(
          fake, new RetryPolicy(4, Duration.ofMillis(1), 1.0, Duration.ofMillis(1)));
  public final HealthGate gate =
      new HealthGate(engine, clock, clock.sleeper(), Duration.ofMillis(100));
  public final RouteControls routes =
      new RouteControls(
          List.of(new StopRouteControl(engine), new BirdRouteControl(engine, clock::advance)));
  public final GroupService groups = new GroupService(engine, new InMemoryGroupMemory(), routes);
  public final ProbeWatcher probes = new ProbeWatcher(engine, clock, Runnable::run);
  public final RouteKeeper keeper = new RouteKeeper(routes, clock, probes);
  public final PlanRunner runner = new PlanRunner(engine, routes, gate, keeper);
  public final RunJournal journal = new RunJournal(100);
  public final ContainerView holder;

  public RunnerFixture() {
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

  public Coordinator coordinator(Executor executor) {
    return new Coordinator(groups, runner, journal, executor, clock);
  }

  public static ImageInfo image(String fill) {
    return image("reg.test/app", fill);
  }

  /** An image pulled from {@code repository} (the engine recorded a repo digest for it). */
  public static ImageInfo image(String repository, String fill) {
    return new ImageInfo(
        "sha256:" + fill.repeat(64), List.of(repository + "@sha256:" + fill.repeat(64)), true);
  }
}
