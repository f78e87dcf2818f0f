package dev.holdfast.run;

import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.Progress;
import dev.holdfast.plan.RecoveryPlanner;
import dev.holdfast.route.RouteKeeper;

/**
 * How a run that was rolled back or recovered ends, and the route intent it leaves: the route is
 * announced only when every app passed its gate again.
 */
final class Outcomes {

  private Outcomes() {}

  static PlanExecutor.Outcome afterRollback(
      Run run,
      PlanKind kind,
      Progress p,
      PlanExecutor.Undone undone,
      String failure,
      RouteKeeper keeper) {
    if (kind == PlanKind.HEAL) {
      // the old members sit in a namespace that is gone: starting them serves nothing
      return new PlanExecutor.Outcome(
          p.destructive() ? RunState.ROLLED_BACK : RunState.FAILED,
          failure + "; old members kept under their names, route left withdrawn");
    }
    if (!p.destructive()) {
      return new PlanExecutor.Outcome(
          RunState.FAILED, failure + "; nothing was stopped or withdrawn");
    }
    if (!undone.unhealthy().isEmpty()) {
      keeper.intend(run.group(), false, "run " + run.id() + " rolled back to an unhealthy app");
      return new PlanExecutor.Outcome(
          RunState.ROLLED_BACK,
          failure
              + "; rolled back, route left withdrawn because "
              + String.join("; ", undone.unhealthy()));
    }
    keeper.intend(run.group(), true, "run " + run.id() + " rolled back to a healthy app");
    return new PlanExecutor.Outcome(RunState.ROLLED_BACK, failure + "; rolled back and announced");
  }

  static PlanExecutor.Outcome afterRecovery(
      Run run,
      RecoveryPlanner.Recovery recovery,
      PlanExecutor.Undone undone,
      String reason,
      RouteKeeper keeper) {
    switch (recovery.ending()) {
      case NOTHING_SERVED_CHANGED:
        return new PlanExecutor.Outcome(
            RunState.FAILED, reason + ", before anything served changed");
      case FINISHED_FORWARD:
        if (!undone.unhealthy().isEmpty()) {
          keeper.intend(run.group(), false, "run " + run.id() + " left an unhealthy app");
          return new PlanExecutor.Outcome(
              RunState.FAILED,
              reason
                  + "; kept the replacements, route left withdrawn: "
                  + String.join("; ", undone.unhealthy()));
        }
        keeper.intend(run.group(), true, "run " + run.id() + " finished after a restart");
        return new PlanExecutor.Outcome(
            RunState.SUCCEEDED, reason + "; finished after the restart");
      default:
        return afterRollback(run, run.kind(), recovery.progress(), undone, reason, keeper);
    }
  }
}
