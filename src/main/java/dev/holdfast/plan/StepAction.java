package dev.holdfast.plan;

/** What a step does: its verb, typed; what the run's record keeps of it. */
public enum StepAction {
  PULL,
  CREATE,
  ADMIT,
  WITHDRAW,
  STOP,
  SET_ASIDE,
  PLACE,
  START,
  GATE,
  ANNOUNCE,
  RELEASE,
  REMOVE,
  DISCARD,
  RESTORE;

  /** The verb as plan text and the API write it: pull, set-aside, ... */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The action a label names. */
  public static StepAction of(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
