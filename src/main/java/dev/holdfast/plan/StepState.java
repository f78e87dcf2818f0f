package dev.holdfast.plan;

import java.util.Locale;

/** Where one step of a run stands. */
public enum StepState {
  PENDING,
  RUNNING,
  DONE,
  FAILED,
  SKIPPED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the step may have changed something: done, or under way or failed when the process
   * stopped (a step half done is undone like a done one; every undo is idempotent).
   */
  public boolean happened() {
    return this == DONE || this == RUNNING || this == FAILED;
  }
}
