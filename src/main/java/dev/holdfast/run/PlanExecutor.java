package dev.holdfast.run;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.TransientEngineException;
import dev.holdfast.group.Role;
import dev.holdfast.plan.Plan;
import dev.holdfast.plan.Progress;
import dev.holdfast.plan.RollbackPlanner;
import dev.holdfast.plan.Step;
import dev.holdfast.plan.StepState;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteControls;
import dev.holdfast.route.RouteException;
import dev.holdfast.route.RouteKeeper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies any plan's steps to the engine (through {@link StepEffects}), recording each in the run.
 * A forward plan whose step fails (after the engine retries) is rolled back: its rollback is
 * planned from the run's record ({@link RollbackPlanner}) and applied by the same executor. A
 * rollback or recovery plan records the failure of a gate instead of stopping, and skips the steps
 * that wait for every app to pass.
 */
public final class PlanExecutor {

  private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);

  /**
   * Called at every boundary between the steps of a forward plan with the steps done so far. The
   * crash tests use it to kill the process there; production passes {@link #NONE}.
   */
  public interface Boundary {
    void reached(Run run, int stepsDone);

    Boundary NONE = (run, done) -> {};
  }

  /**
   * The end of a run: its final state and, unless it succeeded cleanly, why.
   *
   * @param followUp whether the group must be run again at once (the holder restarted under the
   *     run: a heal makes the group whole)
   */
  public record Outcome(RunState state, String reason, boolean followUp) {

    public Outcome(RunState state, String reason) {
      this(state, reason, false);
    }
  }

  /** What a rollback or recovery left: the apps that did not pass their gate again. */
  record Undone(List<String> unhealthy) {}

  private final StepEffects effects;
  private final RouteKeeper keeper;
  private final Boundary boundary;
  private final SiteSlots slots;
  private volatile boolean stopping;

  /** An executor whose groups share prefixes with no other site (tests of one group). */
  public PlanExecutor(
      Engine engine, RouteControls routes, HealthGate gate, RouteKeeper keeper, Boundary boundary) {
    this(
        engine,
        routes,
        gate,
        keeper,
        boundary,
        SiteReporter.alone(keeper, routes),
        gate::pause,
        java.time.Clock.systemUTC(),
        java.time.Duration.ofHours(1));
  }

  /**
   * @param sites where the group's site reports and takes its withdrawal slots
   * @param budgetWait how long a run waits for its prefixes' budget before it fails
   */
  public PlanExecutor(
      Engine engine,
      RouteControls routes,
      HealthGate gate,
      RouteKeeper keeper,
      Boundary boundary,
      SiteReporter sites,
      dev.holdfast.probe.Sleeper sleeper,
      java.time.Clock clock,
      java.time.Duration budgetWait) {
    this.slots =
        new SiteSlots(
            sites, routes, engine, sleeper, clock, budgetWait, java.time.Duration.ofMinutes(2));
    this.effects = new StepEffects(engine, routes, gate, keeper, slots, () -> stopping);
    this.keeper = keeper;
    this.boundary = boundary;
  }

  /**
   * Runs stop at the next step boundary: the run stays unfinished in the store, and the next
   * process finishes or rolls it back.
   */
  public void stopAtNextStep() {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  /**
   * Applies a forward plan the run has recorded ({@link Run#planned}); rolls it back on failure.
   */
  public Outcome execute(Run run, Plan plan) throws InterruptedException {
    Outcome outcome;
    try {
      outcome = forward(run, plan);
    } catch (EngineAwayException e) {
      // recovered when the engine is back, maybe much later: the site, withdrawn, counts away
      // without a slot, and the failure halts the prefixes' planned work meanwhile
      slots.afterRun(run, plan, new Outcome(RunState.FAILED, e.getMessage()), false);
      throw e;
    }
    slots.afterRun(run, plan, outcome, announced(plan.group()));
    return outcome;
  }

  private boolean announced(String group) {
    return keeper.intent(group).map(dev.holdfast.route.RouteIntent::announced).orElse(false);
  }

  private Outcome forward(Run run, Plan plan) throws InterruptedException {
    List<Step> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      boundary.reached(run, i);
      if (stopping) {
        throw new InterruptedException("holdfast is stopping");
      }
      Step step = steps.get(i);
      run.stepStarted(i);
      log.info("step {}", step.render());
      try {
        effects.apply(run, plan, step);
        run.stepEnded(i, StepState.DONE, null);
      } catch (StepFailedException | EngineException | RouteException e) {
        run.stepEnded(i, StepState.FAILED, e.getMessage());
        if (step instanceof Step.Remove || step instanceof Step.Release) {
          // the group is already consistent and announced; a leftover is only untidy, and a
          // release not proven has halted the prefixes and given the slot back
          log.warn("could not remove {}: {}", step.target(), e.getMessage());
          continue;
        }
        for (int j = i + 1; j < steps.size(); j++) {
          run.stepEnded(j, StepState.SKIPPED, null);
        }
        Outcome undone = rollBack(run, plan, step.render() + ": " + e.getMessage());
        boolean again = e instanceof StepFailedException f && f.followUp();
        return again ? new Outcome(undone.state(), undone.reason(), true) : undone;
      }
    }
    boundary.reached(run, steps.size());
    List<String> stale = effects.guard().placedButStale(plan);
    if (!stale.isEmpty()) {
      // never a success with a member in a dead namespace: say so, and heal at once
      return new Outcome(
          RunState.FAILED,
          "after the last step: " + String.join("; ", stale) + "; the group is healed next",
          true);
    }
    return new Outcome(RunState.SUCCEEDED, null);
  }

  /** Plans the rollback of what the run changed, from its record, and applies it. */
  Outcome rollBack(Run run, Plan forward, String failure) throws InterruptedException {
    log.warn("rolling back: {}", failure);
    Progress p = Progress.of(run.id(), run.steps(), rolesOf(forward));
    Plan rollback = RollbackPlanner.plan(forward, p, failure);
    try {
      Undone undone = undo(run, rollback);
      return Outcomes.afterRollback(run, forward.kind(), p, undone, failure, keeper);
    } catch (TransientEngineException e) {
      // the engine is away: nothing can be undone now; recovery does it when it is back
      throw new EngineAwayException(failure + "; then the engine went away: " + e.getMessage(), e);
    } catch (EngineException | StepFailedException | RouteException e) {
      return new Outcome(RunState.FAILED, failure + "; rollback failed: " + e.getMessage());
    }
  }

  /**
   * Applies a rollback or recovery plan after the steps the run has recorded.
   *
   * @throws EngineException when a step fails for good: the plan stops there
   */
  Undone undo(Run run, Plan plan) throws InterruptedException {
    int first = run.appended(plan);
    List<String> unhealthy = new ArrayList<>();
    List<Step> steps = plan.steps();
    for (int j = 0; j < steps.size(); j++) {
      Step step = steps.get(j);
      int i = first + j;
      if (waitsForHealthyApps(step) && !unhealthy.isEmpty()) {
        run.stepEnded(i, StepState.SKIPPED, "not every app passed its gate");
        continue;
      }
      run.stepStarted(i);
      log.info("{} step {}", plan.phase().label(), step.render());
      if (step instanceof Step.Gate g && g.recordsFailure()) {
        Optional<String> failure = effects.gateAgain(plan, g.target());
        failure.ifPresent(unhealthy::add);
        run.stepEnded(
            i, failure.isPresent() ? StepState.FAILED : StepState.DONE, failure.orElse(null));
        continue;
      }
      try {
        effects.apply(run, plan, step);
        run.stepEnded(i, StepState.DONE, null);
      } catch (RuntimeException e) {
        run.stepEnded(i, StepState.FAILED, e.getMessage());
        for (int k = j + 1; k < steps.size(); k++) {
          run.stepEnded(first + k, StepState.SKIPPED, null);
        }
        throw e;
      }
    }
    return new Undone(unhealthy);
  }

  private static boolean waitsForHealthyApps(Step step) {
    return (step instanceof Step.Start s && s.ifHealthy())
        || (step instanceof Step.Announce a && a.ifHealthy());
  }

  /** The role of each member the forward plan touches, from its own steps. */
  private static java.util.function.Function<String, Role> rolesOf(Plan forward) {
    Map<String, Role> roles = new HashMap<>();
    for (Step s : forward.steps()) {
      if (s instanceof Step.Create c) {
        roles.put(c.target(), c.role());
      } else if (s instanceof Step.Stop st) {
        roles.put(st.target(), st.role());
      }
    }
    return m -> roles.getOrDefault(m, Role.APP);
  }
}
