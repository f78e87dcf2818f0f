package dev.holdfast.run;

import dev.holdfast.plan.Plan;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Step;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run over one group: its request, its plans' steps as they go, and how it ended. Every change
 * is written through to where the run is kept ({@link RunJournal}).
 */
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
  private String waiting;
  private Consumer<RunRecord> store = record -> {};

  public Run(String id, RunRequest request, Clock clock) {
    this(id, request, clock, clock.instant());
  }

  private Run(String id, RunRequest request, Clock clock, Instant createdAt) {
    this.id = id;
    this.request = request;
    this.clock = clock;
    this.createdAt = createdAt;
  }

  /**
   * A run the last process left unfinished, rebuilt from its record so that recovery adds its steps
   * to the same history.
   */
  static Run resumed(RunRecord r, Clock clock) {
    Run run =
        new Run(
            r.id(),
            new RunRequest(r.group(), r.kind(), Set.of(), r.trigger()),
            clock,
            r.createdAt());
    run.state = RunState.RUNNING;
    run.startedAt = r.startedAt() == null ? clock.instant() : r.startedAt();
    run.plan = r.plan() == null ? "" : r.plan();
    run.steps.addAll(r.steps());
    return run;
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
  synchronized void persistTo(Consumer<RunRecord> sink) {
    this.store = sink;
    changed();
  }

  private void changed() {
    store.accept(record());
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

  /** The forward plan: its text and its steps, all pending. */
  synchronized void planned(Plan forward) {
    plan = forward.render();
    recreated = List.copyOf(forward.recreated());
    steps.clear();
    append(forward);
  }

  /**
   * A rollback or recovery plan's steps, after those already recorded.
   *
   * @return the index of its first step
   */
  synchronized int appended(Plan next) {
    int first = steps.size();
    append(next);
    return first;
  }

  private void append(Plan p) {
    for (Step s : p.steps()) {
      steps.add(StepRecord.planned(s, p.phase()));
    }
    changed();
  }

  synchronized void stepStarted(int i) {
    steps.set(i, steps.get(i).with(StepState.RUNNING, clock.instant(), null, null));
    changed();
  }

  synchronized void stepEnded(int i, StepState outcome, String failure) {
    StepRecord s = steps.get(i);
    Instant begun = s.startedAt() == null ? clock.instant() : s.startedAt();
    steps.set(i, s.with(outcome, begun, clock.instant(), failure));
    changed();
  }

  /** The steps recorded so far. */
  synchronized List<StepRecord> steps() {
    return List.copyOf(steps);
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

  public synchronized Instant endedAt() {
    return endedAt;
  }

  /** The members the run's plan recreates (empty until planned, or when nothing was new). */
  public synchronized List<String> recreated() {
    return recreated;
  }

  /** A consistent copy of the typed record. */
  public synchronized RunRecord record() {
    return new RunRecord(
        id,
        request.group(),
        request.kind(),
        request.trigger(),
        state,
        createdAt,
        startedAt,
        endedAt,
        plan,
        steps,
        error);
  }

  /**
   * What the run waits for now (the withdrawal budget of its prefixes), or null. Not stored: a
   * restarted holdfast plans the run again.
   */
  synchronized void waiting(String reason) {
    waiting = reason;
  }

  public synchronized String waiting() {
    return waiting;
  }

  /** The run as the API and CLI show it. */
  public RunView view() {
    String w;
    synchronized (this) {
      w = waiting;
    }
    return record().view().waiting(w);
  }
}
