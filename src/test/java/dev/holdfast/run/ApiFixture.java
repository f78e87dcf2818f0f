package dev.holdfast.run;

import dev.holdfast.route.RouteKeeper;

/** Exposes the runner fixture's parts to tests in other packages. */
public final class ApiFixture {

  private final RunnerFixture f = new RunnerFixture();
  private final Coordinator coordinator = f.coordinator(Runnable::run);

  public GroupService groups() {
    return f.groups;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  /** Another coordinator over the same group, on the given executor (e.g. one that only queues). */
  public Coordinator coordinator(java.util.concurrent.Executor executor) {
    return f.coordinator(executor);
  }

  public RouteKeeper keeper() {
    return f.keeper;
  }

  public dev.holdfast.route.RouteControls routes() {
    return f.routes;
  }

  /** The graph's own site reporter: the sites its runs report and take slots from. */
  public SiteReporter siteReporter() {
    return f.graph.siteReporter;
  }

  public RunJournal journal() {
    return f.journal;
  }

  public dev.holdfast.engine.Engine engine() {
    return f.engine;
  }

  public dev.holdfast.testing.FakeEngine fake() {
    return f.fake;
  }

  /** Recreates the router with these labels (besides its role). */
  public void relabelRouter(java.util.Map<String, String> labels) {
    f.fake.remove("seed-router");
    dev.holdfast.testing.Containers b =
        dev.holdfast.testing.Containers.container("seed-router")
            .in(f.holder.id())
            .label(dev.holdfast.group.Labels.ROLE, "router")
            .image("reg.test/bird:2", RunnerFixture.BIRD.id());
    labels.forEach(b::label);
    f.fake.run(b.build());
  }

  /** Makes the registry serve a new app image. */
  public void pushV2() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
  }
}
