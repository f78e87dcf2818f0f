package dev.holdfast.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the upstream peer's BIRD table, as {@code birdc show route} prints it: the prefix,
 * the protocol it came from (the peer's BGP session to one site: {@code downstream}, {@code
 * downstream2}, ...), its next hop (the site's address) and whether BIRD chose it as the best one
 * (the one its kernel protocol installs, without {@code merge paths}).
 */
record PeerRoute(String prefix, String protocol, String nextHop, boolean best) {

  // "192.0.2.53/32        unicast [downstream 01:46:28.483] * (100) [AS65001i]"
  // "                     unicast [downstream2 01:46:28.527] (100) [AS65001i]"
  private static final Pattern ROUTE =
      Pattern.compile("^(\\S+)?\\s+\\w+\\s+\\[(\\S+)\\s[^\\]]*\\]\\s*(\\*)?.*$");
  // "\tvia 203.0.113.230 on eth0"
  private static final Pattern VIA = Pattern.compile("^\\s+via\\s+(\\S+)\\s+on\\s+\\S+.*$");

  /**
   * The routes of a {@code birdc show route} answer by prefix (in the order BIRD printed them, so
   * the best route of a prefix comes first). A route without a {@code via} line (unreachable,
   * blackhole) has the next hop "".
   */
  static Map<String, List<PeerRoute>> parse(String showRoute) {
    Map<String, List<PeerRoute>> out = new LinkedHashMap<>();
    String prefix = null;
    String protocol = null;
    boolean best = false;
    String via = "";
    for (String line : showRoute.split("\n")) {
      if (line.isBlank() || line.startsWith("BIRD ") || line.startsWith("Table ")) {
        continue;
      }
      Matcher v = VIA.matcher(line);
      if (v.matches()) {
        via = v.group(1);
        continue;
      }
      Matcher r = ROUTE.matcher(line);
      if (!r.matches()) {
        continue; // attribute lines of "show route all", "Network not found", ...
      }
      if (protocol != null) {
        out.computeIfAbsent(prefix, p -> new ArrayList<>())
            .add(new PeerRoute(prefix, protocol, via, best));
      }
      if (r.group(1) != null) {
        prefix = r.group(1);
      }
      protocol = r.group(2);
      best = r.group(3) != null;
      via = "";
    }
    if (protocol != null && prefix != null) {
      out.computeIfAbsent(prefix, p -> new ArrayList<>())
          .add(new PeerRoute(prefix, protocol, via, best));
    }
    out.replaceAll((p, routes) -> List.copyOf(routes));
    return out;
  }
}
