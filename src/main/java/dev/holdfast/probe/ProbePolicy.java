package dev.holdfast.probe;

import dev.holdfast.group.Labels;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How an app's {@code holdfast.health} probe is watched outside runs, anycast-healthchecker style:
 * every {@code interval}, {@code fall} failures in a row make the app unhealthy (its group's route
 * is withdrawn), {@code rise} successes in a row make it healthy again.
 */
public record ProbePolicy(HealthCheck probe, Duration interval, int fall, int rise) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_FALL = 3;
  public static final int DEFAULT_RISE = 2;

  /** Probes faster than this would load the engine's exec API more than they tell. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(200);

  static final int MAX_COUNT = 100;

  /**
   * @return empty when the member has no {@code holdfast.health} probe
   * @throws IllegalArgumentException naming the label when a label is malformed
   */
  public static Optional<ProbePolicy> of(Map<String, String> labels) {
    String probe = labels.get(Labels.HEALTH);
    if (probe == null || probe.isBlank()) {
      return Optional.empty();
    }
    Duration interval = DEFAULT_INTERVAL;
    if (labels.containsKey(Labels.HEALTH_INTERVAL)) {
      try {
        interval = Durations.parse(labels.get(Labels.HEALTH_INTERVAL));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(Labels.HEALTH_INTERVAL + ": " + e.getMessage(), e);
      }
      if (interval.compareTo(MIN_INTERVAL) < 0) {
        throw new IllegalArgumentException(
            Labels.HEALTH_INTERVAL
                + "="
                + labels.get(Labels.HEALTH_INTERVAL)
                + ": must be at least "
                + MIN_INTERVAL.toMillis()
                + "ms");
      }
    }
    return Optional.of(
        new ProbePolicy(
            GatePolicy.parseProbe(probe.trim()),
            interval,
            count(labels, Labels.HEALTH_FALL, DEFAULT_FALL),
            count(labels, Labels.HEALTH_RISE, DEFAULT_RISE)));
  }

  private static int count(Map<String, String> labels, String key, int otherwise) {
    String text = labels.get(key);
    if (text == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= MAX_COUNT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the label
    }
    throw new IllegalArgumentException(
        key + "=" + text + ": must be a whole number from 1 to " + MAX_COUNT);
  }

  /** The longest an app can fail before its route is withdrawn: fall × interval. */
  public Duration withdrawWithin() {
    return interval.multipliedBy(fall);
  }

  public String describe() {
    return probe.describe()
        + " every "
        + Durations.format(interval)
        + ", fall "
        + fall
        + ", rise "
        + rise;
  }
}
