package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.RouteSpec;

/**
 * How a group's prefixes are withdrawn and announced through its router. Both calls are idempotent:
 * withdrawing a withdrawn route or announcing an announced one succeeds.
 */
public interface RouteControl {

  /** The value of {@code holdfast.route} that selects this strategy. */
  String strategy();

  /**
   * Withdraws the prefixes and, where the strategy can, proves it.
   *
   * @throws RouteException when the withdrawal fails or cannot be proven
   */
  void withdraw(ContainerView router, RouteSpec spec);

  /**
   * @throws RouteException when the announcement fails or cannot be confirmed
   */
  void announce(ContainerView router, RouteSpec spec);

  /**
   * Checks, before any run starts, that the router can be controlled as its labels say; the reason
   * when it cannot.
   */
  default java.util.Optional<String> check(ContainerView router, RouteSpec spec) {
    return java.util.Optional.empty();
  }
}
