package dev.holdfast.plan;

import java.util.Locale;

/** Which plan of a run a step belongs to. */
public enum Phase {
  /** The plan the run was made for: update or heal. */
  FORWARD,
  /** What undoes a forward plan that failed. */
  ROLLBACK,
  /** What finishes or undoes a run a previous process left in flight. */
  RECOVERY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Phase of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
