package dev.holdfast.run;

import dev.holdfast.engine.Engine;
import dev.holdfast.engine.EngineException;
import dev.holdfast.engine.TransientEngineException;
import dev.holdfast.group.Group;
import dev.holdfast.plan.RecoveryPlanner;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import dev.holdfast.probe.HealthGate;
import dev.holdfast.route.RouteException;
import dev.holdfast.route.RouteKeeper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or rolls back the runs a previous process left in flight (killed, or stopped mid-run),
 * and the runs of this process the engine left half done: plans the recovery from the run's typed
 * record and the group as it is now ({@link RecoveryPlanner}), applies it with the executor, and
 * ends the run with what it did.
 */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final Engine engine;
  private final GroupService groups;
  private final PlanExecutor executor;
  private final HealthGate pauses;
  private final RunJournal journal;
  private final RouteKeeper keeper;
  private final Clock clock;

  public Recovery(
      Engine engine,
      GroupService groups,
      PlanExecutor executor,
      HealthGate pauses,
      RunJournal journal,
      RouteKeeper keeper,
      Clock clock) {
    this.engine = engine;
    this.groups = groups;
    this.executor = executor;
    this.pauses = pauses;
    this.journal = journal;
    this.keeper = keeper;
    this.clock = clock;
  }

  /** Whether the engine answers now. */
  boolean engineAnswers() {
    try {
      engine.ping();
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  void pause(Duration d) throws InterruptedException {
    pauses.pause(d);
  }

  /** Recovers every unfinished run; returns how many there were. */
  public int recoverAll() throws InterruptedException {
    List<RunRecord> unfinished = journal.store().unfinished();
    for (RunRecord r : unfinished) {
      Run run = Run.resumed(r, clock);
      journal.adopt(run);
      recover(run, "holdfast stopped");
    }
    return unfinished.size();
  }

  /** Recovers a run of this process that the engine left half done (it is still live). */
  void recover(Run run) throws InterruptedException {
    recover(run, "the engine went away");
  }

  private void recover(Run run, String cause) throws InterruptedException {
    List<StepRecord> steps = run.steps();
    String reason = cause + " at " + lastStep(steps);
    log.warn(
        "run {} of group {} was left in flight ({}); recovering", run.id(), run.group(), reason);
    Optional<Group> group;
    try {
      group = groups.group(run.group());
    } catch (EngineException e) {
      run.end(RunState.FAILED, reason + "; engine unreachable: " + e.getMessage());
      return;
    }
    RecoveryPlanner.Recovery recovery =
        RecoveryPlanner.plan(run.id(), run.kind(), run.group(), steps, group, reason);
    PlanExecutor.Outcome outcome;
    try {
      PlanExecutor.Undone undone = executor.undo(run, recovery.plan());
      outcome = Outcomes.afterRecovery(run, recovery, undone, reason, keeper);
    } catch (TransientEngineException e) {
      // the engine is away again: the run stays in flight and is recovered when it is back
      throw new EngineAwayException(reason + "; then the engine went away: " + e.getMessage(), e);
    } catch (EngineException | StepFailedException | RouteException e) {
      outcome =
          new PlanExecutor.Outcome(
              RunState.FAILED,
              reason
                  + (recovery.ending() == RecoveryPlanner.Ending.ROLLED_BACK
                      ? "; rollback failed: "
                      : "; finishing failed: ")
                  + e.getMessage());
    }
    run.end(outcome.state(), outcome.reason());
  }

  private static String lastStep(List<StepRecord> steps) {
    String last = "the start";
    int n = 0;
    for (StepRecord s : steps) {
      n++;
      if (s.state() != StepState.PENDING) {
        last = "step " + n + " (" + s.text().trim() + ", " + s.state().label() + ")";
      }
    }
    return last;
  }
}
