package dev.holdfast.route;

import dev.holdfast.engine.ContainerView;
import dev.holdfast.plan.RouteSpec;
import dev.holdfast.site.Prefix;

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

  /**
   * The prefixes the router originates now, read from the router itself; empty when the strategy
   * cannot read them (then the {@code holdfast.prefixes} label names them) or while they are
   * withdrawn.
   *
   * @throws RouteException when the router cannot be asked
   */
  default java.util.Set<Prefix> prefixes(ContainerView router, RouteSpec spec) {
    return java.util.Set.of();
  }

  /**
   * Why the router does not export these prefixes to its peers yet; empty once it does, or when the
   * strategy cannot tell (then the drain time alone separates two sites' withdrawals).
   *
   * @throws RouteException when the router cannot be asked
   */
  default java.util.Optional<String> notExported(
      ContainerView router, RouteSpec spec, java.util.Collection<Prefix> prefixes) {
    return java.util.Optional.empty();
  }
}
