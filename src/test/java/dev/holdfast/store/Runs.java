package dev.holdfast.store;

import dev.holdfast.plan.Phase;
import dev.holdfast.plan.PlanKind;
import dev.holdfast.plan.StepAction;
import dev.holdfast.plan.StepRecord;
import dev.holdfast.plan.StepState;
import dev.holdfast.run.RunRecord;
import dev.holdfast.run.RunState;
import java.time.Instant;
import java.util.List;

/** Runs and steps for the store tests. */
final class Runs {

  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private Runs() {}

  /** An instant {@code millis} after T0 plus some nanos, so that precision is tested too. */
  static Instant at(long millis) {
    return T0.plusMillis(millis).plusNanos(123_456);
  }

  static RunRecord run(String id, String group, String kind, String state, Instant createdAt) {
    boolean ended = !state.equals("queued") && !state.equals("running");
    return new RunRecord(
        id,
        group,
        PlanKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)),
        "webhook: registry push " + id,
        RunState.of(state),
        createdAt,
        state.equals("queued") ? null : createdAt.plusMillis(5),
        ended ? createdAt.plusSeconds(30).plusNanos(987_654_321) : null,
        "plan of " + id,
        steps(createdAt),
        state.equals("failed") ? "gate failed: app-1 unhealthy" : null);
  }

  static List<StepRecord> steps(Instant t) {
    return List.of(
        new StepRecord(
            "pull registry:5000/app:live",
            StepAction.PULL,
            Phase.FORWARD,
            "app-1",
            StepState.DONE,
            t.plusMillis(10),
            t.plusMillis(900).plusNanos(1),
            null),
        new StepRecord(
            "create app-1 from sha256:abc",
            StepAction.CREATE,
            Phase.FORWARD,
            "app-1",
            StepState.FAILED,
            t.plusSeconds(1),
            t.plusSeconds(2),
            "conflict: name in use"),
        new StepRecord(
            "start     app-1",
            StepAction.START,
            Phase.ROLLBACK,
            "app-1",
            StepState.PENDING,
            null,
            null,
            null));
  }

  static RunRecord withState(RunRecord r, String state, List<StepRecord> steps) {
    return new RunRecord(
        r.id(),
        r.group(),
        r.kind(),
        r.trigger(),
        RunState.of(state),
        r.createdAt(),
        r.startedAt(),
        r.endedAt(),
        r.plan(),
        steps,
        r.error());
  }
}
