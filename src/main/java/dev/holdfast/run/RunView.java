package dev.holdfast.run;

import dev.holdfast.plan.StepRecord;
import java.time.Instant;
import java.util.List;

/** A run as the API and CLI show it: derived from its {@link RunRecord}, in words. */
public record RunView(
    String id,
    String group,
    String kind,
    String trigger,
    String state,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    String plan,
    List<StepView> steps,
    String error,
    String waiting) {

  /** The same run, waiting for {@code reason} (null: for nothing). */
  public RunView waiting(String reason) {
    return new RunView(
        id, group, kind, trigger, state, createdAt, startedAt, endedAt, plan, steps, error, reason);
  }

  /**
   * One step as shown.
   *
   * @param step the step's line of plan text
   * @param action its verb: pull, create, set-aside, restore, ...
   * @param phase forward, rollback or recovery
   * @param target the member it acts on
   * @param state pending, running, done, failed, skipped
   */
  public record StepView(
      String step,
      String action,
      String phase,
      String target,
      String state,
      Instant startedAt,
      Instant endedAt,
      String error) {

    static StepView of(StepRecord s) {
      return new StepView(
          s.text(),
          s.action().label(),
          s.phase().label(),
          s.target(),
          s.state().label(),
          s.startedAt(),
          s.endedAt(),
          s.error());
    }

    public long millis() {
      return startedAt == null || endedAt == null
          ? 0
          : java.time.Duration.between(startedAt, endedAt).toMillis();
    }
  }
}
