package dev.holdfast.site;

/**
 * Whether a site may withdraw a prefix now, and why: the reason is what the run's record, the
 * status and the log say.
 */
public record Admission(boolean granted, String reason) {

  static Admission go(String reason) {
    return new Admission(true, reason);
  }

  static Admission waits(String reason) {
    return new Admission(false, reason);
  }

  @Override
  public String toString() {
    return (granted ? "go: " : "wait: ") + reason;
  }
}
