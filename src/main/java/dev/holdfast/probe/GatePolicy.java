package dev.holdfast.probe;

import dev.holdfast.group.Labels;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The health gate of one member: which check, and how long to wait for it.
 *
 * <p>Chosen from the member's labels and its new image: the image's Docker HEALTHCHECK when it has
 * one, else the {@code holdfast.health} probe, else "keeps running for the settle time". When the
 * image has a HEALTHCHECK and the label names a probe too, both must pass: the operator's probe is
 * never silently ignored.
 */
public record GatePolicy(HealthCheck check, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(3);

  /**
   * @throws IllegalArgumentException with a message naming the label when a label is malformed
   */
  public static GatePolicy of(Map<String, String> labels, boolean imageHasHealthcheck) {
    Duration timeout =
        labels.containsKey(Labels.HEALTH_TIMEOUT)
            ? labelDuration(labels, Labels.HEALTH_TIMEOUT)
            : DEFAULT_TIMEOUT;
    String probe = labels.get(Labels.HEALTH);
    boolean hasProbe = probe != null && !probe.isBlank();
    if (imageHasHealthcheck && hasProbe) {
      return new GatePolicy(
          new HealthCheck.Both(new HealthCheck.Docker(), parseProbe(probe.trim())), timeout);
    }
    if (imageHasHealthcheck) {
      return new GatePolicy(new HealthCheck.Docker(), timeout);
    }
    if (hasProbe) {
      return new GatePolicy(parseProbe(probe.trim()), timeout);
    }
    Duration settle =
        labels.containsKey(Labels.HEALTH_SETTLE)
            ? labelDuration(labels, Labels.HEALTH_SETTLE)
            : DEFAULT_SETTLE;
    return new GatePolicy(new HealthCheck.Settle(settle), timeout);
  }

  static HealthCheck parseProbe(String probe) {
    int colon = probe.indexOf(':');
    String kind = colon < 0 ? probe : probe.substring(0, colon);
    String arg = colon < 0 ? "" : probe.substring(colon + 1).trim();
    switch (kind) {
      case "tcp":
        return new HealthCheck.Tcp(port(arg, probe));
      case "http":
        int slash = arg.indexOf('/');
        String port = slash < 0 ? arg : arg.substring(0, slash);
        String path = slash < 0 ? "/" : arg.substring(slash);
        if (!path.matches("/[A-Za-z0-9._~!$&'()*+,;=:@/%?-]*")) {
          throw new IllegalArgumentException(
              "holdfast.health=" + probe + ": the path has characters a URL path cannot hold");
        }
        return new HealthCheck.Http(port(port, probe), path);
      case "exec":
        if (arg.isEmpty()) {
          throw new IllegalArgumentException("holdfast.health=" + probe + ": exec needs a command");
        }
        return new HealthCheck.Exec(Arrays.asList(arg.split("\\s+")));
      default:
        throw new IllegalArgumentException(
            "holdfast.health="
                + probe
                + ": unknown probe; use tcp:PORT, http:PORT/PATH or exec:COMMAND");
    }
  }

  private static int port(String text, String probe) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the whole label
    }
    throw new IllegalArgumentException(
        "holdfast.health=" + probe + ": '" + text + "' is not a port (1-65535)");
  }

  private static Duration labelDuration(Map<String, String> labels, String key) {
    try {
      return Durations.parse(labels.get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  public String describe() {
    return check.describe() + " within " + Durations.format(timeout);
  }
}
