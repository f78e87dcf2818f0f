package dev.holdfast.run;

import java.time.Instant;

/**
 * What happened to one step of a run.
 *
 * @param step the step's plan text
 * @param action the step's verb (pull, create, stop, gate, ...; rollback steps start "rollback")
 * @param target the container the step acts on
 * @param state pending, running, done, failed, skipped
 * @param error why it failed, or null
 */
public record StepRecord(
    String step,
    String action,
    String target,
    String state,
    Instant startedAt,
    Instant endedAt,
    String error) {

  StepRecord with(String newState, Instant started, Instant ended, String failure) {
    return new StepRecord(step, action, target, newState, started, ended, failure);
  }

  public long millis() {
    return startedAt == null || endedAt == null
        ? 0
        : java.time.Duration.between(startedAt, endedAt).toMillis();
  }
}
