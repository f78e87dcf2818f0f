package dev.holdfast.run;

import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.StepRecord;
import java.time.Instant;
import java.util.List;

/**
 * The typed record of one run: what the store keeps, what recovery plans from, and what the API's
 * {@link RunView} is derived from.
 *
 * @param trigger who asked (api, cli, event, reconcile, a hook, ...), for the reader
 * @param plan the forward plan's text, for the reader
 * @param steps every step of its forward plan, then of its rollback or recovery, as they went
 * @param error why it did not succeed cleanly, or null
 */
public record RunRecord(
    String id,
    String group,
    PlanKind kind,
    String trigger,
    RunState state,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    String plan,
    List<StepRecord> steps,
    String error) {

  public RunRecord {
    steps = List.copyOf(steps);
  }

  /** The run as the API and CLI show it. */
  public RunView view() {
    return new RunView(
        id,
        group,
        kind.label(),
        trigger,
        state.label(),
        createdAt,
        startedAt,
        endedAt,
        plan,
        steps.stream().map(RunView.StepView::of).toList(),
        error,
        null);
  }
}
