package dev.holdfast.run;

import java.time.Instant;

/**
 * What happened to one step of a run.
 *
 * @param step the step's plan text
 * @param state pending, running, done, failed, skipped
 * @param error why it failed, or null
 */
public record StepRecord(
    String step, String state, Instant startedAt, Instant endedAt, String error) {

  public long millis() {
    return startedAt == null || endedAt == null
        ? 0
        : java.time.Duration.between(startedAt, endedAt).toMillis();
  }
}
