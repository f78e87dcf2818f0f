package dev.holdfast.run;

import java.util.Locale;

/** Where a run is. The last three are final. */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ROLLED_BACK;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static RunState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public boolean ended() {
    return this == SUCCEEDED || this == FAILED || this == ROLLED_BACK;
  }
}
