package dev.holdfast.probe;

/**
 * The hysteresis of one watched probe: healthy until {@code fall} failures in a row, then unhealthy
 * until {@code rise} successes in a row. A value, so the rule is tested as plain data.
 *
 * <p>A probe starts healthy: it is watched only once the app passed its gate or was already
 * running, and starting unhealthy would withdraw a serving group's route for rise × interval on
 * every holdfast restart.
 */
public record ProbeCount(boolean healthy, int streak, String last) {

  public static ProbeCount start() {
    return new ProbeCount(true, 0, "not probed yet");
  }

  /**
   * @param ok whether this probe passed
   * @param detail what the probe saw, kept for the status
   */
  public ProbeCount next(boolean ok, String detail, ProbePolicy policy) {
    if (ok == healthy) {
      return new ProbeCount(healthy, 0, detail); // agrees with the state: no streak against it
    }
    int against = streak + 1;
    int needed = healthy ? policy.fall() : policy.rise();
    return against >= needed
        ? new ProbeCount(!healthy, 0, detail)
        : new ProbeCount(healthy, against, detail);
  }
}
