package dev.holdfast.run;

import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Step;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One run over one group: its request, its plan, each step's record, and how it ended. */
public final class Run {

  private final String id;
  private RunRequest request;
  private final Clock clock;
  private final Instant createdAt;
  private final CountDownLatch ended = new CountDownLatch(1);
  private RunState state = RunState.QUEUED;
  private Instant startedAt;
  private Instant endedAt;
  private String plan = "";
  private String error;
  private final List<StepRecord> steps = new ArrayList<>();
  private List<String> recreated = List.of();
  private java.util.function.Consumer<RunView> store = view -> {};

  public Run(String id, RunRequest request, Clock clock) {
    this.id = id;
    this.request = request;
    this.clock = clock;
    this.createdAt = clock.instant();
  }

  /**
   * A run the last process left unfinished, rebuilt from its record so that recovery adds its steps
   * to the same history.
   */
  static Run resumed(RunView v, Clock clock) {
    RunRequest request =
        new RunRequest(
            v.group(),
            v.kind().equals("heal") ? PlanKind.HEAL : PlanKind.UPDATE,
            java.util.Set.of(),
            v.trigger());
    Run run = new Run(v.id(), request, clock, v.createdAt());
    run.state = RunState.RUNNING;
    run.startedAt = v.startedAt() == null ? clock.instant() : v.startedAt();
    run.plan = v.plan() == null ? "" : v.plan();
    run.steps.addAll(v.steps());
    return run;
  }

  private Run(String id, RunRequest request, Clock clock, Instant createdAt) {
    this.id = id;
    this.request = request;
    this.clock = clock;
    this.createdAt = createdAt;
  }

  public String id() {
    return id;
  }

  public synchronized String group() {
    return request.group();
  }

  public synchronized PlanKind kind() {
    return request.kind();
  }

  public synchronized RunRequest request() {
    return request;
  }

  /** Where every change of the run is written (the run store), from now on. */
  synchronized void persistTo(java.util.function.Consumer<RunView> store) {
    this.store = store;
    changed();
  }

  /** Writes the run as it is now; a store that fails must not break the run itself. */
  private void changed() {
    store.accept(view());
  }

  /** A queued run takes over the requests merged into it while it waited. */
  synchronized void merged(RunRequest merged) {
    if (state == RunState.QUEUED) {
      request = merged;
      changed();
    }
  }

  synchronized void start() {
    state = RunState.RUNNING;
    startedAt = clock.instant();
    changed();
  }

  synchronized void planned(String planText, List<Step> planSteps, List<String> members) {
    plan = planText;
    recreated = List.copyOf(members);
    steps.clear();
    for (Step s : planSteps) {
      steps.add(new StepRecord(s.render(), s.action(), s.target(), "pending", null, null, null));
    }
    changed();
  }

  /** A step the plan did not have (rollback): its action, target and text. */
  synchronized int addStep(String action, String target, String text) {
    steps.add(new StepRecord(text, action, target, "pending", null, null, null));
    changed();
    return steps.size() - 1;
  }

  synchronized void stepStarted(int i) {
    steps.set(i, steps.get(i).with("running", clock.instant(), null, null));
    changed();
  }

  synchronized void stepEnded(int i, String outcome, String failure) {
    StepRecord s = steps.get(i);
    Instant begun = s.startedAt() == null ? clock.instant() : s.startedAt();
    steps.set(i, s.with(outcome, begun, clock.instant(), failure));
    changed();
  }

  void end(RunState finalState, String reason) {
    synchronized (this) {
      state = finalState;
      error = reason;
      endedAt = clock.instant();
      changed();
    }
    ended.countDown();
  }

  /** Waits until the run ends; true when it did within the timeout. */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return ended.await(timeout, unit);
  }

  public synchronized RunState state() {
    return state;
  }

  public synchronized String error() {
    return error;
  }

  /** The members the run's plan recreates (empty until planned, or when nothing was new). */
  public synchronized List<String> recreated() {
    return recreated;
  }

  /** A consistent copy for readers. */
  public synchronized RunView view() {
    return new RunView(
        id,
        request.group(),
        request.kind().label(),
        request.trigger(),
        state.label(),
        createdAt,
        startedAt,
        endedAt,
        plan,
        List.copyOf(steps),
        error);
  }
}
