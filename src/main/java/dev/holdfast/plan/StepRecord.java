package dev.holdfast.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened to one step of a run: typed, so that recovery and rollback plan from it without
 * reading text.
 *
 * @param text the step's line of plan text
 * @param action what the step does
 * @param phase which of the run's plans it belongs to
 * @param target the member it acts on
 * @param state pending, running, done, failed, skipped
 * @param error why it failed, or null
 */
public record StepRecord(
    String text,
    StepAction action,
    Phase phase,
    String target,
    StepState state,
    Instant startedAt,
    Instant endedAt,
    String error) {

  /** A step as planned, not begun. */
  public static StepRecord planned(Step step, Phase phase) {
    return new StepRecord(
        step.render(), step.action(), phase, step.target(), StepState.PENDING, null, null, null);
  }

  public StepRecord with(StepState newState, Instant started, Instant ended, String failure) {
    return new StepRecord(text, action, phase, target, newState, started, ended, failure);
  }

  public boolean is(StepAction a, StepState s) {
    return action == a && state == s;
  }

  public long millis() {
    return startedAt == null || endedAt == null
        ? 0
        : Duration.between(startedAt, endedAt).toMillis();
  }
}
