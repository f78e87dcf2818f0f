package dev.holdfast.store;

import dev.holdfast.run.RunView;
import dev.holdfast.run.StepRecord;
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

  static RunView run(String id, String group, String kind, String state, Instant createdAt) {
    boolean ended = !state.equals("queued") && !state.equals("running");
    return new RunView(
        id,
        group,
        kind,
        "webhook: registry push " + id,
        state,
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
            "pull",
            "app-1",
            "done",
            t.plusMillis(10),
            t.plusMillis(900).plusNanos(1),
            null),
        new StepRecord(
            "create app-1 from sha256:abc",
            "create",
            "app-1",
            "failed",
            t.plusSeconds(1),
            t.plusSeconds(2),
            "conflict: name in use"),
        new StepRecord(
            "rollback: start app-1 (old)", "rollback-start", "app-1", "pending", null, null, null));
  }

  static RunView withState(RunView r, String state, List<StepRecord> steps) {
    return new RunView(
        r.id(),
        r.group(),
        r.kind(),
        r.trigger(),
        state,
        r.createdAt(),
        r.startedAt(),
        r.endedAt(),
        r.plan(),
        steps,
        r.error());
  }
}
