package dev.holdfast.run;

import static dev.holdfast.testing.Containers.container;
import static dev.holdfast.testing.Containers.holderOf;

import dev.holdfast.app.Config;
import dev.holdfast.app.Stores;
import dev.holdfast.app.Wiring;
import dev.holdfast.engine.ContainerView;
import dev.holdfast.engine.Engine;
import dev.holdfast.engine.ImageInfo;
import dev.holdfast.group.Labels;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.probe.ProbeWatcher;
import dev.holdfast.probe.Sleeper;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteKeeper;
import dev.holdfast.testing.FakeEngine;
import dev.holdfast.testing.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A seed group (holder, app v1, router) on a FakeEngine, with the object graph built as in
 * production ({@link Wiring}): only the engine, the clock (a {@link MutableClock} whose sleeper
 * advances it) and the executors (the caller's thread) are the test's.
 */
public final class RunnerFixture {

  public static final String REF = "reg.test/app:live";
  public static final ImageInfo V1 = image("1");
  public static final ImageInfo V2 = image("2");
  public static final ImageInfo BROKEN = image("b");
  public static final ImageInfo BIRD = image("reg.test/bird", "9");

  /** Engine retries, fast: the fake's transient failures are retried at once. */
  static final Map<String, String> CONFIG =
      Map.of(
          "HOLDFAST_RETRY_ATTEMPTS", "4",
          "HOLDFAST_RETRY_INITIAL", "1ms",
          "HOLDFAST_RETRY_MAX", "1ms",
          "HOLDFAST_GATE_POLL", "100ms");

  public final FakeEngine fake = new FakeEngine();
  public final MutableClock clock = new MutableClock();
  private final Sleeper sleeper;
  public final Wiring graph;
  public final Engine engine;
  public final HealthGate gate;
  public final RouteControls routes;
  public final GroupService groups;
  public final ProbeWatcher probes;
  public final RouteKeeper keeper;
  public final PlanExecutor runner;
  public final RunJournal journal;
  public final ContainerView holder;

  public RunnerFixture() {
    this(PlanExecutor.Boundary.NONE);
  }

  /** The graph with a boundary of the test's at every step boundary (a crash, for instance). */
  public RunnerFixture(PlanExecutor.Boundary boundary) {
    this(boundary, Stores.inMemory(new StoreHealth()));
  }

  public RunnerFixture(PlanExecutor.Boundary boundary, Stores stores) {
    this(boundary, stores, false);
  }

  /** A fixture whose waits also pass a little real time (see the constructor). */
  public static RunnerFixture withRealWaits() {
    return new RunnerFixture(PlanExecutor.Boundary.NONE, Stores.inMemory(new StoreHealth()), true);
  }

  /**
   * @param realWaits whether a wait also passes a little real time (a fiftieth of it, at most 20
   *     ms), for what keeps real time: the engine's circuit breaker
   */
  private RunnerFixture(PlanExecutor.Boundary boundary, Stores stores, boolean realWaits) {
    Sleeper advance = clock.sleeper();
    this.sleeper =
        realWaits
            ? d -> {
              advance.sleep(d);
              Thread.sleep(Math.min(20, d.toMillis() / 50));
            }
            : advance;
    graph = graph(boundary, stores);
    engine = graph.engine;
    gate = graph.gate;
    routes = graph.routes;
    groups = graph.groups;
    probes = graph.watcher;
    keeper = graph.keeper;
    runner = graph.executor;
    journal = graph.journal;
    holder = seed(fake);
  }

  /**
   * The graph of a process over a fake engine and stores prepared by the caller (a store another
   * holdfast wrote, the containers it left).
   */
  public static Wiring graph(FakeEngine fake, MutableClock clock, Stores stores) {
    return new Wiring(
        Config.from(CONFIG),
        new Wiring.Environment(
            fake,
            clock,
            clock.sleeper(),
            Runnable::run,
            null,
            Runnable::run,
            PlanExecutor.Boundary.NONE,
            run -> {}),
        stores);
  }

  private Wiring graph(PlanExecutor.Boundary boundary, Stores stores) {
    ScheduledExecutorService unused = null; // the fixture drives the healer by hand
    return new Wiring(
        Config.from(CONFIG),
        new Wiring.Environment(
            fake, clock, sleeper, Runnable::run, unused, Runnable::run, boundary, run -> {}),
        stores);
  }

  /**
   * The next process after this one died: a new graph (nothing in memory) over the same engine,
   * clock and stores.
   */
  public Wiring nextProcess() {
    return graph(PlanExecutor.Boundary.NONE, graph.stores);
  }

  /** The seed's images: local, and served by the registry they were pulled from. */
  public static void images(FakeEngine fake) {
    fake.image(REF, V1, "healthy");
    fake.push(REF, V1, "healthy"); // pulled from the registry, which serves it still
    fake.image("reg.test/bird:2", BIRD, null);
    fake.push("reg.test/bird:2", BIRD, null);
  }

  /** The seed group on the fake engine; returns its holder. */
  private static ContainerView seed(FakeEngine fake) {
    images(fake);
    ContainerView holder =
        fake.run(holderOf("seed", "seed-holder").startedAt("2026-01-01T09:00:00Z").build());
    fake.run(container("seed-app").in(holder.id()).image(REF, V1.id()).health("healthy").build());
    fake.run(
        container("seed-router")
            .in(holder.id())
            .label(Labels.ROLE, "router")
            .image("reg.test/bird:2", BIRD.id())
            .build());
    return holder;
  }

  /**
   * holdfast has seen the seed group, then its holder is replaced: removed, and run again under its
   * name with a new id (f…f), started at 10:00, the fake engine's start (it cannot start later).
   *
   * @return the new holder
   */
  public ContainerView replaceHolder() {
    groups.groups();
    fake.remove(holder.id());
    return fake.run(
        holderOf("seed", "seed-holder")
            .id("f".repeat(64))
            .startedAt("2026-01-01T10:00:00Z")
            .build());
  }

  /** Another coordinator over the same graph, driving runs on {@code executor}. */
  public Coordinator coordinator(Executor executor) {
    return new Coordinator(
        groups, runner, graph.recovery, journal, graph.stores.health(), run -> {}, executor, clock);
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
