package dev.holdfast.plan;

import dev.holdfast.group.Labels;
import dev.holdfast.probe.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a router withdraws and announces, read from its labels. Pure.
 *
 * @param strategy {@code stop} (stop and start the router container) or {@code bird} (disable and
 *     enable the anycast protocols through birdc, inside the router)
 * @param protocols the BIRD protocols that originate the anycast prefixes
 * @param socket the BIRD control socket, empty for the default (with its fallback)
 * @param peers the BGP protocols whose export is checked after a withdrawal; empty: the protocols'
 *     own routes are checked
 * @param drain how long to wait after a proven withdrawal before the app is stopped
 */
public record RouteSpec(
    String strategy,
    List<String> protocols,
    Optional<String> socket,
    List<String> peers,
    Duration drain) {

  public static final String DEFAULT_SOCKET = "/run/bird/bird.ctl";
  public static final String FALLBACK_SOCKET = "/var/run/bird.ctl";
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]{1,200}");

  public RouteSpec {
    protocols = List.copyOf(protocols);
    peers = List.copyOf(peers);
  }

  /**
   * @throws PlanException naming the router and label when a label is malformed
   */
  public static RouteSpec of(String router, Map<String, String> labels) {
    String strategy = labels.getOrDefault(Labels.ROUTE, "stop").trim();
    Duration drain = drain(router, labels);
    if (strategy.equals("stop")) {
      // stopping the router ends its sessions at once (BGP Cease): no drain unless asked for
      Duration stopDrain = labels.containsKey(Labels.DRAIN) ? drain : Duration.ZERO;
      return new RouteSpec("stop", List.of(), Optional.empty(), List.of(), stopDrain);
    }
    if (!strategy.equals("bird")) {
      throw new PlanException(
          router + ": " + Labels.ROUTE + "=" + strategy + " is not a known strategy [stop, bird]");
    }
    List<String> protocols =
        names(router, Labels.BIRD_PROTOCOLS, labels.get(Labels.BIRD_PROTOCOLS));
    if (protocols.isEmpty()) {
      throw new PlanException(
          router
              + ": "
              + Labels.ROUTE
              + "=bird needs "
              + Labels.BIRD_PROTOCOLS
              + " (the protocols that originate the anycast prefixes)");
    }
    String socket = labels.get(Labels.BIRD_SOCKET);
    if (socket != null && !PATH.matcher(socket.trim()).matches()) {
      throw new PlanException(
          router + ": " + Labels.BIRD_SOCKET + "=" + socket + " is not an absolute path");
    }
    List<String> peers = names(router, Labels.BIRD_PEERS, labels.get(Labels.BIRD_PEERS));
    return new RouteSpec(
        "bird", protocols, Optional.ofNullable(socket).map(String::trim), peers, drain);
  }

  private static List<String> names(String router, String key, String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> names =
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        throw new PlanException(router + ": " + key + ": '" + n + "' is not a BIRD protocol name");
      }
    }
    return names;
  }

  private static Duration drain(String router, Map<String, String> labels) {
    String value = labels.get(Labels.DRAIN);
    try {
      return value == null ? DEFAULT_DRAIN : Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new PlanException(router + ": " + Labels.DRAIN + ": " + e.getMessage());
    }
  }

  public boolean bird() {
    return strategy.equals("bird");
  }

  /** The birdc command line for one BIRD command, as the plan shows it. */
  public String birdc(String command) {
    return "birdc -v -s " + socket.orElse(DEFAULT_SOCKET) + " " + command;
  }

  public String describeWithdraw() {
    if (!bird()) {
      return "strategy stop";
    }
    String proof =
        peers.isEmpty()
            ? "prove " + String.join(",", protocols) + " down and their routes gone"
            : "prove "
                + String.join(",", protocols)
                + " down and gone from export to "
                + String.join(",", peers);
    return "strategy bird: "
        + String.join("; ", protocols.stream().map(p -> birdc("disable " + p)).toList())
        + "; "
        + proof
        + "; drain "
        + Durations.format(drain);
  }

  public String describeAnnounce() {
    if (!bird()) {
      return "strategy stop";
    }
    return "strategy bird: "
        + String.join("; ", protocols.stream().map(p -> birdc("enable " + p)).toList())
        + "; confirm up";
  }
}
