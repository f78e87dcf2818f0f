package dev.holdfast.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The route strategies holdfast knows, by their {@code holdfast.route} value. */
public final class RouteControls {

  private final Map<String, RouteControl> byStrategy = new HashMap<>();

  public RouteControls(List<RouteControl> controls) {
    for (RouteControl c : controls) {
      byStrategy.put(c.strategy(), c);
    }
  }

  /** The BIRD strategy, for observing a router's protocols. */
  public BirdRouteControl bird() {
    return (BirdRouteControl) get("bird");
  }

  public RouteControl get(String strategy) {
    RouteControl c = byStrategy.get(strategy);
    if (c == null) {
      throw new IllegalArgumentException("no route strategy '" + strategy + "'");
    }
    return c;
  }
}
