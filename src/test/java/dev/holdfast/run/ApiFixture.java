package dev.holdfast.run;

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

  public RouteKeeper keeper() {
    return f.keeper;
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

  /** Makes the registry serve a new app image. */
  public void pushV2() {
    f.fake.push(RunnerFixture.REF, RunnerFixture.V2, "healthy");
  }
}
